package videopipe.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import tools.jackson.databind.JsonNode;
import videopipe.cli.e2e.Clips;
import videopipe.cli.e2e.FunctionsJar;
import videopipe.cli.local.LocalStack;
import videopipe.cli.local.StackFile;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.lambda.Reports;

/**
 * Issue 8's numbers for the local stack end to end, each through the front door (the API, the
 * presigned PUT, S3's own event starting video-ingest):
 * <ol>
 *   <li>{@code latency}: upload → READY for a 5 s 480p clip, per state, against the functions' own
 *       running time (the local Lambda's REPORT durations, and the local MediaConvert job's running
 *       time from its state-change events): the stack's overhead = total − the critical-path work,
 *       DESIGN.md's target ≤ 10 % of that work;
 *   <li>{@code concurrent}: {@code bench.uploads} small uploads started at once; every one must
 *       reach READY (exit 1 otherwise), with throughput, p50/p99 latency, peak heap and threads;
 *   <li>{@code start}: {@code videopipe local up} as the launcher runs it, process start to the
 *       edge and the API answering, against a JVM on the same classpath running an empty main.
 * </ol>
 *
 * <p>Not a test (surefire does not pick it up): run it in a JVM of its own with
 * {@code ./mvnw -B -q -ntp -pl functions,cli -am -DskipTests -Pstack-bench package
 * [-Dbench.only=latency,concurrent,start] [-Dbench.runs=5] [-Dbench.uploads=200]} (see cli/pom.xml).
 */
public final class StackBenchmark {

  private static final String FIVE_SECONDS = "5 s 854x480";
  private static final Duration TERMINAL = Duration.ofMinutes(20);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Set<String> TERMINAL_STATUSES = Set.of("READY", "REJECTED", "FAILED");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(30)).build();
  /** Headers Java's HTTP client sets itself and refuses. */
  private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host", "expect", "connection", "upgrade");

  private static boolean failed;
  /** The figures, printed as they come and again at the end, clear of the functions' logs. */
  private static final StringBuilder results = new StringBuilder();

  private static synchronized void out(String format, Object... args) {
    String text = String.format(Locale.ROOT, format, args);
    results.append(text);
    System.out.print(text);
    System.out.flush();
  }

  private static void outln(String line) {
    out("%s%n", line);
  }

  public static void main(String[] args) throws Exception {
    Set<String> only = Set.of(System.getProperty("bench.only", "latency,concurrent,start").split(","));
    Path dir = Files.createTempDirectory("stack-bench");
    out("machine: %d cores, %s, max heap %d MiB, load average %.2f%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + Runtime.version(),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    // The start times first, while this JVM runs no stack of its own.
    if (only.contains("start")) {
      startTime(dir, Integer.getInteger("bench.starts", 3));
      load();
    }
    if (only.contains("latency") || only.contains("concurrent")) {
      try (Bench bench = new Bench(dir)) {
        if (only.contains("latency")) {
          bench.latency(Integer.getInteger("bench.runs", 5));
          load();
        }
        if (only.contains("concurrent")) {
          bench.concurrent(Integer.getInteger("bench.uploads", 200),
              Integer.getInteger("bench.clients", Integer.getInteger("bench.uploads", 200)));
          load();
        }
      }
    }
    if (failed) {
      outln("\n*** FAILED: see the lines marked FAIL above ***");
    }
    String file = System.getProperty("bench.out");
    if (file != null) {
      Files.writeString(Path.of(file), results);
    }
    System.out.println("\n==================== stack benchmark results" + (file == null ? "" : " (also in " + file + ")")
        + " ====================\n" + results);
    System.exit(failed ? 1 : 0);
  }

  /** The machine is shared: the 1-minute load average after each part, to read its figures by. */
  private static void load() {
    out("(load average now %.2f)%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void fail(String message) {
    failed = true;
    outln("FAIL: " + message);
  }

  // ------------------------------------------------------------------------------ the running stack

  /** One in-process local stack with the observers the first two numbers need. */
  private static final class Bench implements AutoCloseable {
    final Path dir;
    final LocalStack stack;
    final DynamoDbClient dynamo;
    final List<AutoCloseable> subscriptions = new ArrayList<>();
    /** videoId → when this JVM saw its {@code Video Ready} event (put by publishVideo after the catalog's READY). */
    final Map<String, CompletableFuture<Instant>> ready = new ConcurrentHashMap<>();
    /** videoId → the MediaConvert job's state changes: status → the event's own timestamp (ms). */
    final Map<String, Map<String, Long>> jobs = new ConcurrentHashMap<>();

    Bench(Path dir) throws Exception {
      this.dir = dir;
      long t0 = System.nanoTime();
      stack = LocalStack.start(LocalStack.Options.of(FunctionsJar.path()).withStackName("bench"));
      out("in-process stack started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      dynamo = DynamoDbClient.builder().endpointOverride(stack.edgeEndpoint()).region(Region.of(stack.region()))
          .credentialsProvider(stack.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build();
      subscriptions.add(stack.eventBridge().subscribe(stack.busName(),
          "{\"source\":[\"videopipe\"],\"detail-type\":[\"Video Ready\"]}", event -> {
            Instant seen = Instant.now();
            String id = LocalStack.JSON.readTree(event).path("detail").path("videoId").asString();
            readyFuture(id).complete(seen);
          }));
      subscriptions.add(stack.eventBridge().subscribe("default", "{\"source\":[\"aws.mediaconvert\"]}", event -> {
        JsonNode detail = LocalStack.JSON.readTree(event).path("detail");
        String id = detail.path("userMetadata").path("videoId").asString(null);
        if (id != null) {
          jobs.computeIfAbsent(id, k -> new ConcurrentHashMap<>())
              .putIfAbsent(detail.path("status").asString(), detail.path("timestamp").asLong());
        }
      }));
    }

    CompletableFuture<Instant> readyFuture(String videoId) {
      return ready.computeIfAbsent(videoId, k -> new CompletableFuture<>());
    }

    @Override
    public void close() throws Exception {
      for (AutoCloseable s : subscriptions) {
        s.close();
      }
      dynamo.close();
      stack.close();
    }

    // ---------------------------------------------------------------------------- 1. latency

    void latency(int runs) throws Exception {
      Path clip = clip480p(dir);
      String user = "bench-latency";
      String token = stack.mintToken(user, Duration.ofHours(4));
      out("%n== 1. upload -> READY, one %s clip (%d KiB), 1 warm-up + %d sequential uploads ==%n",
          FIVE_SECONDS, Files.size(clip) >> 10, runs);
      List<Run> measured = new ArrayList<>();
      for (int i = 0; i <= runs; i++) {
        Run run = measureOne(clip, user, token);
        if (i == 0) {
          out("warm-up: total %d ms (cold containers: %s)%n", run.total, run.coldStarts);
          continue;
        }
        measured.add(run);
      }
      printLatency(measured);
    }

    /** Times of one upload, all in ms; see {@link #printLatency} for what each is. */
    record Run(long total, long readySeen, long post, long createUpload, long put, long s3ToExecution,
        Map<String, Long> states, long validate, long extract, long submit, long job, long transcodeCompleted,
        long overlap, long attach, long publish, long work, long engine, long lambdaHops, long transcodeHops, long eventBack,
        String critical, int taskFailures, String coldStarts) {
      long overhead() {
        return total - work;
      }
    }

    Run measureOne(Path clip, String user, String token) throws Exception {
      stack.lambda().reports().clear();
      Sent sent = upload(stack.apiEndpoint(), token, clip);
      String key = "uploads/" + user + "/" + sent.videoId + "/source";
      String execution = stack.executionFor(key).get(TERMINAL.toSeconds(), TimeUnit.SECONDS);
      Instant readySeen = readyFuture(sent.videoId).get(TERMINAL.toSeconds(), TimeUnit.SECONDS);
      DescribeExecutionResponse described = awaitStopped(execution);
      if (described.status() != ExecutionStatus.SUCCEEDED) {
        throw new IllegalStateException("execution " + execution + " ended " + described.status());
      }
      String status = item(sent.videoId).get("status").s();
      if (!status.equals("READY")) {
        throw new IllegalStateException("video " + sent.videoId + " is " + status + " in the catalog");
      }
      // transcodeCompleted runs asynchronously; its REPORT is recorded when it returns.
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (stack.lambda().pendingAsyncInvocations() > 0 && System.nanoTime() < settle) {
        Thread.sleep(10);
      }
      List<Reports.Report> reports = stack.lambda().reports().all();
      Map<String, Long> fn = new HashMap<>();
      Map<String, Long> last = new HashMap<>();
      List<String> cold = new ArrayList<>();
      for (Reports.Report r : reports) {
        fn.merge(r.function(), ms(r.duration()), Long::sum);
        last.put(r.function(), ms(r.duration()));
        if (!r.initDuration().isZero()) {
          cold.add(r.function() + " " + ms(r.initDuration()) + " ms");
        }
      }
      List<HistoryEvent> history = new ArrayList<>();
      stack.sfnClient().getExecutionHistoryPaginator(b -> b.executionArn(execution)).events().forEach(history::add);
      Map<String, Instant> entered = new HashMap<>();
      Map<String, Instant> exited = new HashMap<>();
      int taskFailures = 0;
      for (HistoryEvent e : history) {
        if (e.stateEnteredEventDetails() != null) {
          entered.putIfAbsent(e.stateEnteredEventDetails().name(), e.timestamp());
        } else if (e.stateExitedEventDetails() != null) {
          exited.put(e.stateExitedEventDetails().name(), e.timestamp());
        } else if (e.typeAsString().equals("TaskFailed") || e.typeAsString().equals("TaskTimedOut")) {
          taskFailures++;
        }
      }
      Map<String, Long> states = new LinkedHashMap<>();
      for (String s : List.of("Validate", "ExtractMetadata", "Process", "SubmitTranscode", "AttachCaptions", "Publish")) {
        states.put(s, between(entered.get(s), exited.get(s)));
      }
      Map<String, Long> job = jobs.getOrDefault(sent.videoId, Map.of());
      if (!job.containsKey("PROGRESSING") || !job.containsKey("COMPLETE")) {
        throw new IllegalStateException("no PROGRESSING and COMPLETE events for the job of " + sent.videoId + ": " + job);
      }

      long validate = fn.getOrDefault("validateUpload", 0L);
      long extract = fn.getOrDefault("extractMetadata", 0L);
      long submit = fn.getOrDefault("submitTranscode", 0L);
      long jobRun = job.get("COMPLETE") - job.get("PROGRESSING");
      // the invocation for COMPLETE, the one that sends SendTaskSuccess, returns last
      long completed = last.getOrDefault("transcodeCompleted", 0L);
      long attach = fn.getOrDefault("attachCaptions", 0L);
      long publish = fn.getOrDefault("publishVideo", 0L);
      long createUpload = fn.getOrDefault("createUpload", 0L);
      // submitTranscode returns after CreateJob (it then binds the task token to the job): the job may
      // already run by then, and that overlap is counted once.
      long submitEnds = entered.get("SubmitTranscode").toEpochMilli() + submit;
      long overlap = Math.max(0, submitEnds - job.get("PROGRESSING"));
      long transcode = submit + jobRun + completed - overlap;
      boolean transcodeCritical = transcode >= attach;
      long work = validate + extract + Math.max(transcode, attach) + publish;

      Instant start = described.startDate();
      Instant stop = described.stopDate();
      String branch = transcodeCritical ? "SubmitTranscode" : "AttachCaptions";
      long engine = between(start, entered.get("Validate"))
          + between(exited.get("Validate"), entered.get("ExtractMetadata"))
          + between(exited.get("ExtractMetadata"), entered.get("Process"))
          + between(entered.get("Process"), entered.get(branch))
          + between(exited.get(branch), exited.get("Process"))
          + between(exited.get("Process"), entered.get("Publish"))
          + between(exited.get("Publish"), stop);
      long lambdaHops = states.get("Validate") - validate + states.get("ExtractMetadata") - extract
          + states.get("Publish") - publish + (transcodeCritical ? 0 : states.get("AttachCaptions") - attach);
      long transcodeHops = transcodeCritical ? states.get("SubmitTranscode") - transcode : 0;
      // job COMPLETE → SubmitTranscode exited, less transcodeCompleted's own time: the event's way back
      long eventBack = exited.get("SubmitTranscode").toEpochMilli() - job.get("COMPLETE") - completed;
      return new Run(between(sent.posted, stop), between(sent.posted, readySeen), between(sent.posted, sent.created),
          createUpload, between(sent.created, sent.put), between(sent.put, start), states, validate, extract, submit,
          jobRun, completed, overlap, attach, publish, work, engine, lambdaHops, transcodeHops, eventBack, branch, taskFailures,
          cold.isEmpty() ? "none" : String.join(", ", cold));
    }

    void printLatency(List<Run> runs) {
      outln("per upload, ms (state = StateEntered -> StateExited in the execution history; fn = the "
          + "function's REPORT duration; job = MediaConvert PROGRESSING -> COMPLETE):");
      outln("run | total | Validate state/fn | Extract state/fn | Process | Submit state (fn+job+tc-overlap) "
          + "| Attach state/fn | Publish state/fn | work | overhead");
      int n = 0;
      for (Run r : runs) {
        n++;
        out("%3d | %5d | %5d/%4d | %5d/%4d | %5d | %5d (%d+%d+%d-%d) | %4d/%4d | %4d/%4d | %5d | %5d (%.1f %%)%s%n",
            n, r.total, r.states.get("Validate"), r.validate, r.states.get("ExtractMetadata"), r.extract,
            r.states.get("Process"), r.states.get("SubmitTranscode"), r.submit, r.job, r.transcodeCompleted, r.overlap,
            r.states.get("AttachCaptions"), r.attach, r.states.get("Publish"), r.publish, r.work, r.overhead(),
            100.0 * r.overhead() / r.work, r.taskFailures > 0 ? "  (" + r.taskFailures + " task failures retried)" : "");
        if (!r.coldStarts.equals("none")) {
          outln("    cold starts in this run: " + r.coldStarts);
        }
      }
      long total = median(runs, Run::total);
      long work = median(runs, Run::work);
      long overhead = median(runs, Run::overhead);
      double pct = medianD(runs, r -> 100.0 * r.overhead() / r.work);
      out("%nmedians of %d runs (each column on its own):%n", runs.size());
      out("  total, POST /uploads -> execution stopped:  %6d ms (Video Ready event seen at %d ms)%n",
          total, median(runs, Run::readySeen));
      out("  critical-path work:                         %6d ms = Validate %d + Extract %d"
              + " + max(Submit %d + job %d + transcodeCompleted %d - overlap %d, Attach %d) + Publish %d%n", work,
          median(runs, Run::validate), median(runs, Run::extract), median(runs, Run::submit), median(runs, Run::job),
          median(runs, Run::transcodeCompleted), median(runs, Run::overlap), median(runs, Run::attach),
          median(runs, Run::publish));
      out("  overhead = total - work:                    %6d ms = %.1f %% of the work "
          + "(DESIGN.md target <= 10 %%: %s)%n", overhead, pct, pct <= 10 ? "met" : "MISSED");
      outln("  where the overhead goes (medians, ms):");
      out("    POST /uploads less createUpload's own time (gateway, JWT, Lambda hop): %5d%n",
          median(runs, r -> r.post - r.createUpload));
      out("    createUpload itself (a function, outside the brief's critical path): %5d%n",
          median(runs, Run::createUpload));
      out("    presigned PUT of the clip (S3Proxy, SigV4 check, event emitted):    %5d%n",
          median(runs, Run::put));
      out("    PUT answered -> execution started (S3 event -> rule -> StartExecution): %3d%n",
          median(runs, Run::s3ToExecution));
      out("    engine: start, Choice states, Parallel fork/join, end:             %5d%n",
          median(runs, Run::engine));
      out("    Lambda hops: task state time less the function's (Validate, Extract, Publish): %d%n",
          median(runs, Run::lambdaHops));
      out("    transcode branch less its work (Lambda hop, job queue, job event -> EventBridge -> async"
          + " transcodeCompleted -> SendTaskSuccess -> engine): %d, of which job COMPLETE -> task done, less"
          + " transcodeCompleted: %d (a few ms below zero: transcodeCompleted's REPORT still runs after its"
          + " SendTaskSuccess let the engine go on)%n", median(runs, Run::transcodeHops), median(runs, Run::eventBack));
      out("  counting createUpload as work too: overhead %.1f %%%n",
          medianD(runs, r -> 100.0 * (r.overhead() - r.createUpload) / (r.work + r.createUpload)));
    }

    DescribeExecutionResponse awaitStopped(String execution) throws InterruptedException {
      long deadline = System.nanoTime() + TERMINAL.toNanos();
      while (true) {
        DescribeExecutionResponse d = stack.sfnClient().describeExecution(b -> b.executionArn(execution));
        if (d.status() != ExecutionStatus.RUNNING) {
          return d;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("execution " + execution + " still RUNNING after " + TERMINAL);
        }
        Thread.sleep(POLL.toMillis());
      }
    }

    Map<String, AttributeValue> item(String videoId) {
      return dynamo.getItem(b -> b.tableName(stack.tableName()).consistentRead(true)
          .key(Map.of("videoId", AttributeValue.fromS(videoId)))).item();
    }

    // ---------------------------------------------------------------------------- 2. concurrent

    void concurrent(int uploads, int clients) throws Exception {
      Path clip = Files.write(dir.resolve("small.mp4"), Clips.mp4(dir));
      String user = "bench-burst";
      String token = stack.mintToken(user, Duration.ofHours(4));
      out("%n== 2. %d concurrent uploads of a 1 s 160x90 clip (%d KiB) from %d client threads ==%n",
          uploads, Files.size(clip) >> 10, clients);
      outln("(the whole pipeline runs for each: the transcodes queue on the local MediaConvert, 2 jobs at"
          + " a time; each function has at most 4 containers, as the local Lambda's default concurrency)");

      System.gc();
      List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      int threadsBefore = threads.getThreadCount();
      threads.resetPeakThreadCount();
      AtomicLong sampledPeak = new AtomicLong();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();

      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Sent>> futures = new ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return upload(stack.apiEndpoint(), token, clip);
        }));
      }
      Thread.sleep(500); // every client thread is waiting on the gate
      Instant first = Instant.now();
      go.countDown();
      List<Sent> sent = new ArrayList<>();
      List<String> clientErrors = new ArrayList<>();
      for (Future<Sent> f : futures) {
        try {
          sent.add(f.get(10, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          clientErrors.add(String.valueOf(e.getCause()));
        }
      }
      pool.shutdown();
      Instant allSent = Instant.now();

      // Terminal statuses from the catalog, polled; a READY's time is its Video Ready event's arrival.
      Map<String, String> status = new HashMap<>();
      Map<String, Instant> terminalAt = new HashMap<>();
      long deadline = System.nanoTime() + TERMINAL.toNanos();
      while (status.size() < sent.size() && System.nanoTime() < deadline) {
        Instant now = Instant.now();
        Map<String, String> scanned = scanStatuses();
        for (Sent s : sent) {
          String st = scanned.get(s.videoId);
          if (st != null && TERMINAL_STATUSES.contains(st) && status.putIfAbsent(s.videoId, st) == null) {
            CompletableFuture<Instant> r = ready.get(s.videoId);
            terminalAt.put(s.videoId, st.equals("READY") && r != null && r.isDone() ? r.join() : now);
          }
        }
        if (status.size() < sent.size()) {
          Thread.sleep(250);
        }
      }
      sampler.interrupt();
      sampler.join();
      long poolPeaks = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      int threadsPeak = threads.getPeakThreadCount();

      Map<String, Long> counts = new TreeMap<>();
      status.values().forEach(s -> counts.merge(s, 1L, Long::sum));
      List<Sent> lost = sent.stream().filter(s -> !status.containsKey(s.videoId)).toList();
      out("all %d uploads sent (POST + PUT) in %.1f s; client errors: %d%n", sent.size(),
          between(first, allSent) / 1e3, clientErrors.size());
      outln("terminal statuses: " + counts + (lost.isEmpty() ? ", none lost" : ", NOT TERMINAL: " + lost.size()));
      int retried = (int) sent.stream().filter(x -> x.attempts > 1).count();
      out("POST /uploads answers tried again: %s; uploads that needed more than one POST: %d (at most %d POSTs each)%n",
          refusals.isEmpty() ? "none" : refusals.entrySet().stream().map(e -> e.getValue().get() + " x " + e.getKey())
              .collect(Collectors.joining("; ")), retried, POST_ATTEMPTS);
      if (!clientErrors.isEmpty()) {
        fail(clientErrors.size() + " uploads were refused or broke on the client side, e.g. " + clientErrors.get(0));
      }
      long orphans = scanOwners().entrySet().stream()
          .filter(e -> e.getValue().equals(user) && sent.stream().noneMatch(x -> x.videoId.equals(e.getKey()))).count();
      if (orphans > 0) {
        out("catalog items of %s that no client got an answer for (a POST that timed out after writing its item): %d%n",
            user, orphans);
      }
      for (Sent s : lost) {
        fail("video " + s.videoId + " never reached a terminal status: " + item(s.videoId).get("status").s()
            + ", execution " + stack.executionFor("uploads/" + user + "/" + s.videoId + "/source").getNow("none"));
      }
      long notReady = counts.entrySet().stream().filter(e -> !e.getKey().equals("READY")).mapToLong(Map.Entry::getValue).sum();
      if (notReady > 0) {
        fail(notReady + " uploads ended other than READY: " + counts);
        status.forEach((id, st) -> {
          if (!st.equals("READY")) {
            Map<String, AttributeValue> it = item(id);
            outln("  " + id + " " + st + ": " + (it.containsKey("error") ? it.get("error").s() : "")
                + (it.containsKey("cause") ? " " + it.get("cause").s() : "")
                + (it.containsKey("claimedBy") ? " (execution " + it.get("claimedBy").s() + ")" : ""));
          }
        });
      }
      for (String queue : List.of("upload-object-created-dlq", "transcode-job-state-change-dlq", "execution-failed-dlq",
          "transcodeCompleted-failures", "recordFailure-failures")) {
        int size = stack.eventBridge().deadLetterQueue(stack.stackName() + "-" + queue).size();
        if (size > 0) {
          fail(size + " messages in the dead-letter queue " + queue);
        }
      }
      if (terminalAt.isEmpty()) {
        return;
      }
      Instant last = terminalAt.values().stream().max(Comparator.naturalOrder()).orElseThrow();
      List<Long> latencies = sent.stream().filter(s -> terminalAt.containsKey(s.videoId))
          .map(s -> between(s.posted, terminalAt.get(s.videoId))).sorted().toList();
      List<Long> posts = sent.stream().map(s -> between(s.posted, s.created)).sorted().toList();
      double seconds = between(first, last) / 1e3;
      out("throughput: %d terminal in %.1f s (first POST -> last terminal) = %.2f uploads/s%n",
          terminalAt.size(), seconds, terminalAt.size() / seconds);
      out("latency, POST /uploads -> terminal: p50 %.1f s, p99 %.1f s, max %.1f s"
              + " (POST /uploads alone: p50 %d ms, p99 %d ms)%n", percentile(latencies, 50) / 1e3,
          percentile(latencies, 99) / 1e3, latencies.get(latencies.size() - 1) / 1e3, percentile(posts, 50),
          percentile(posts, 99));
      List<Long> jobRuns = sent.stream().map(s -> jobs.getOrDefault(s.videoId, Map.of()))
          .filter(j -> j.containsKey("COMPLETE") && j.containsKey("PROGRESSING"))
          .map(j -> j.get("COMPLETE") - j.get("PROGRESSING")).sorted().toList();
      if (!jobRuns.isEmpty()) {
        out("MediaConvert jobs: %d, running time p50 %d ms, sum %.1f s (2 at a time: >= %.1f s"
                + " of the burst is the transcode queue)%n", jobRuns.size(), percentile(jobRuns, 50),
            jobRuns.stream().mapToLong(Long::longValue).sum() / 1e3,
            jobRuns.stream().mapToLong(Long::longValue).sum() / 2e3);
      }
      System.gc();
      long heapAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      out("heap: before %d MiB (after a GC), peak used %d MiB sampled every 20 ms (sum of the"
              + " heap pools' peaks %d MiB), after %d MiB (after a GC); max heap %d MiB%n", heapBefore >> 20,
          sampledPeak.get() >> 20, poolPeaks >> 20, heapAfter >> 20, Runtime.getRuntime().maxMemory() >> 20);
      out("live threads: before %d, peak %d (of which %d are this benchmark's client threads)%n",
          threadsBefore, threadsPeak, clients);
      out("containers started (cold starts) during the burst: %s%n",
          stack.lambda().reports().all().stream().filter(r -> !r.initDuration().isZero())
              .collect(Collectors.groupingBy(Reports.Report::function, TreeMap::new, Collectors.counting())));
    }

    Map<String, String> scanOwners() {
      Map<String, String> out = new HashMap<>();
      dynamo.scanPaginator(b -> b.tableName(stack.tableName()).consistentRead(true).projectionExpression("videoId, ownerId"))
          .items().forEach(i -> out.put(i.get("videoId").s(), i.containsKey("ownerId") ? i.get("ownerId").s() : ""));
      return out;
    }

    Map<String, String> scanStatuses() {
      Map<String, String> out = new HashMap<>();
      dynamo.scanPaginator(b -> b.tableName(stack.tableName()).consistentRead(true)
          .projectionExpression("videoId, #s").expressionAttributeNames(Map.of("#s", "status")))
          .items().forEach(i -> out.put(i.get("videoId").s(), i.get("status").s()));
      return out;
    }
  }

  // ------------------------------------------------------------------------------ uploading

  /** One upload as a creator's client makes it: when it was first asked for, created, and PUT; POST attempts. */
  record Sent(String videoId, Instant posted, Instant created, Instant put, int attempts) {}

  /** POST /uploads answers refused and retried, by status and body, across the run. */
  static final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
  /** How often a client sends POST /uploads before giving up (API Gateway answers 500 when the function is throttled). */
  static final int POST_ATTEMPTS = Integer.getInteger("bench.postAttempts", 6);

  /**
   * POST /uploads with the token, then the presigned PUT with exactly the signed headers (as
   * {@code videopipe upload}). A 5xx or 429 answer to the POST is tried again after a backoff with
   * full jitter (200 ms doubling, at most 10 s), as AWS advises clients of a throttled API; every
   * such answer is counted in {@link #refusals}.
   */
  static Sent upload(URI api, String token, Path clip) throws IOException, InterruptedException {
    long size = Files.size(clip);
    String body = LocalStack.JSON.writeValueAsString(Map.of("fileName", "clip.mp4", "contentType", "video/mp4",
        "sizeBytes", size));
    Instant posted = Instant.now();
    HttpResponse<String> created;
    int attempt = 0;
    while (true) {
      attempt++;
      created = HTTP.send(HttpRequest.newBuilder(api.resolve("/uploads")).timeout(Duration.ofMinutes(5))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      boolean retryable = created.statusCode() == 429 || created.statusCode() / 100 == 5;
      if (!retryable || attempt >= POST_ATTEMPTS) {
        break;
      }
      refusals.computeIfAbsent(created.statusCode() + " " + created.body().strip(),
          k -> new AtomicInteger()).incrementAndGet();
      long cap = Math.min(10_000, 200L << attempt);
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
    }
    Instant createdAt = Instant.now();
    if (created.statusCode() != 201) {
      throw new IOException("POST /uploads answered " + created.statusCode() + ": " + created.body());
    }
    JsonNode answer = LocalStack.JSON.readTree(created.body());
    JsonNode signed = answer.path("upload");
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(signed.path("url").asString()))
        .timeout(Duration.ofMinutes(5)).method(signed.path("method").asString("PUT"), HttpRequest.BodyPublishers.ofFile(clip));
    signed.path("headers").properties().forEach(h -> {
      if (!SET_BY_CLIENT.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        put.header(h.getKey(), h.getValue().asString());
      }
    });
    HttpResponse<String> stored = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Instant putAt = Instant.now();
    if (stored.statusCode() / 100 != 2) {
      throw new IOException("the presigned PUT answered " + stored.statusCode() + ": " + stored.body());
    }
    return new Sent(answer.path("videoId").asString(), posted, createdAt, putAt, attempt);
  }

  /** 5 s, 854x480 at 30 fps, H.264 + AAC, fast-start MP4, made with the bundled ffmpeg. */
  static Path clip480p(Path dir) throws IOException {
    Path out = dir.resolve("clip480p.mp4");
    Ffmpeg.get().run(List.of("-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=30:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5",
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "fast", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-movflags", "+faststart", out.toString()), 120, TimeUnit.SECONDS);
    return out;
  }

  // ------------------------------------------------------------------------------ 3. start time

  /** A JVM on the same classpath that does nothing: the baseline of the start time. */
  public static final class EmptyMain {
    public static void main(String[] args) {
      outln("ready");
    }
  }

  static void startTime(Path dir, int rounds) throws Exception {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classpath = System.getProperty("java.class.path");
    Path jar = FunctionsJar.path();
    out("%n== 3. stack start time: `videopipe local up --port 0 --api-port 0` (the launcher's java"
        + " command, this benchmark's classpath), process start -> edge and API answering; best/median of %d ==%n", rounds);
    answers(URI.create("http://127.0.0.1:9/")); // loads this JVM's HTTP client before the first timing
    List<Long> baseline = new ArrayList<>();
    List<Long> stack = new ArrayList<>();
    List<Long> fileSeen = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      baseline.add(emptyJvm(java, classpath, dir));
      long[] up = localUp(java, classpath, jar, dir.resolve("home-" + r), r);
      stack.add(up[1]);
      fileSeen.add(up[0]);
      out("round %d: empty JVM %d ms; local up: stack file after %d ms, answering after %d ms%n",
          r, baseline.get(r - 1), up[0], up[1]);
    }
    long bestStack = stack.stream().min(Long::compare).orElseThrow();
    long bestBase = baseline.stream().min(Long::compare).orElseThrow();
    out("local up -> accepting requests: best %d ms, median %d ms; empty JVM: best %d ms, median %d"
            + " ms; ratio (best) %.1fx, (median) %.1fx%n", bestStack, percentile(sorted(stack), 50), bestBase,
        percentile(sorted(baseline), 50), (double) bestStack / bestBase,
        (double) percentile(sorted(stack), 50) / percentile(sorted(baseline), 50));
  }

  private static long emptyJvm(String java, String classpath, Path dir) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(java, "-cp", classpath, EmptyMain.class.getName())
        .redirectErrorStream(true).start();
    String line = new String(p.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
    long elapsed = (System.nanoTime() - t0) / 1_000_000;
    if (!p.waitFor(60, TimeUnit.SECONDS) || !line.equals("ready")) {
      p.destroyForcibly();
      throw new IllegalStateException("the empty JVM said " + line);
    }
    return elapsed;
  }

  /** {stack file seen, edge and API answering}, in ms from process start; stops the stack with SIGTERM. */
  private static long[] localUp(String java, String classpath, Path jar, Path home, int round) throws Exception {
    Files.createDirectories(home);
    Path log = home.resolve("local-up.log");
    Path file = home.resolve(StackFile.FILE_NAME);
    ProcessBuilder builder = new ProcessBuilder(java, "-Dvideopipe.functions.jar=" + jar, "-cp", classpath,
        "videopipe.cli.Main", "local", "up", "--port", "0", "--api-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("VIDEOPIPE_HOME", home.toString());
    long t0 = System.nanoTime();
    Process p = builder.start();
    try {
      long deadline = t0 + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(file)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("local up wrote no stack file (round " + round + "): " + Files.readString(log));
        }
        Thread.sleep(5);
      }
      long fileAt = (System.nanoTime() - t0) / 1_000_000;
      JsonNode json = LocalStack.JSON.readTree(Files.readAllBytes(file));
      URI edge = URI.create(json.path("endpoints").path("edge").asString());
      URI api = URI.create(json.path("endpoints").path("api").asString());
      while (!answers(edge.resolve("/")) || !answers(api.resolve(HttpApiGateway.JWKS_PATH))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("local up does not answer on " + edge + " and " + api);
        }
        Thread.sleep(5);
      }
      long readyAt = (System.nanoTime() - t0) / 1_000_000;
      stopCleanly(p, file);
      return new long[] {fileAt, readyAt};
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      if (!failed) {
        // the stack file and the log hold the stack's generated keys and a token
        try (var files = Files.walk(home)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private static boolean answers(URI uri) {
    try {
      HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, as Ctrl-C: the stack stops, removes its file, and leaves no child (dynalite's node) behind. */
  private static void stopCleanly(Process p, Path file) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    String names = children.stream().map(h -> h.info().command().map(c -> Path.of(c).getFileName().toString())
        .orElse("?")).distinct().collect(Collectors.joining(", "));
    long t0 = System.nanoTime();
    p.destroy(); // SIGTERM
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      fail("local up did not stop within 60 s of SIGTERM");
      return;
    }
    long stopped = (System.nanoTime() - t0) / 1_000_000;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<ProcessHandle> left = children.stream().filter(ProcessHandle::isAlive).toList();
    if (!left.isEmpty()) {
      fail("local up left " + left.stream().map(h -> h.pid() + " " + h.info().command().orElse("?")).toList()
          + " running after SIGTERM; killing them");
      left.forEach(ProcessHandle::destroyForcibly);
    }
    if (Files.exists(file)) {
      fail("local up left its stack file " + file + " after SIGTERM");
    }
    out("  SIGTERM: exit %d after %d ms (143 = 128 + SIGTERM, the JVM's own), its %d child process(es) (%s) gone%n",
        p.exitValue(), stopped, children.size(), names);
  }

  // ------------------------------------------------------------------------------ arithmetic

  static long ms(Duration d) {
    return d.toNanos() / 1_000_000;
  }

  static long between(Instant a, Instant b) {
    if (a == null || b == null) {
      throw new IllegalStateException("missing a time in the execution history");
    }
    return Duration.between(a, b).toMillis();
  }

  static List<Long> sorted(List<Long> values) {
    return values.stream().sorted().toList();
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  static <T> long median(List<T> runs, ToLongFunction<T> f) {
    return percentile(runs.stream().map(f::applyAsLong).sorted().toList(), 50);
  }

  static <T> double medianD(List<T> runs, ToDoubleFunction<T> f) {
    List<Double> v = runs.stream().map(f::applyAsDouble).sorted().toList();
    return v.get((v.size() - 1) / 2);
  }
}
