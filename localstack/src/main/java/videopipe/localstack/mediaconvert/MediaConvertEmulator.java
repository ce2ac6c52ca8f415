package videopipe.localstack.mediaconvert;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.Loopback;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.mediaconvert.TranscodePlan.Group;
import videopipe.localstack.mediaconvert.TranscodePlan.GroupType;
import videopipe.localstack.mediaconvert.TranscodePlan.Output;

/**
 * A local AWS Elemental MediaConvert that really transcodes: its REST API ({@code /2017-08-29/jobs}
 * CreateJob, ListJobs, GetJob, CancelJob, and DescribeEndpoints answering with its own URL) over
 * HTTP on loopback, each job's settings translated ({@link TranscodePlan}) into ONE ffmpeg run
 * ({@link FfmpegCommand}) that reads the input from S3 and whose outputs are uploaded to S3 under the
 * job's destinations, named as MediaConvert names them. Jobs run in the background, at most
 * {@link Options#concurrency()} at once, through SUBMITTED → PROGRESSING → COMPLETE | ERROR |
 * CANCELED, and each change is emitted as the {@code MediaConvert Job State Change} event AWS puts
 * on the default EventBridge bus, to a pluggable sink ({@link #toEventBridge}).
 *
 * <p>Settings outside the supported subset do not fail CreateJob: the job goes to ERROR with a
 * message naming the setting, so that the difference is seen where the job's outcome is handled.
 *
 * <p>With a {@link Options#dataDir() data directory} every job is saved there at each change of
 * status or phase ({@link JobStore}), and an emulator started again on it answers for them as
 * before. Jobs that were SUBMITTED or PROGRESSING when it stopped run again from the start, in the
 * order they were created, with their events: on AWS a job outlives a client's restart, and an
 * execution waiting on its event would otherwise wait until its timeout. A stop then leaves jobs as
 * they were saved (no CANCELED for them, saved or emitted), for the next start to run.
 */
public final class MediaConvertEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MediaConvertEmulator.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String API = "/2017-08-29";
  /** ListJobs answers at most this many jobs per page (the service's maximum). */
  static final int MAX_RESULTS = 20;

  /** Job error codes from MediaConvert's list of error codes. */
  static final int ERROR_INPUT = 1010;
  static final int ERROR_SETTINGS = 1030;
  static final int ERROR_TRANSCODE = 1999;
  static final int ERROR_OUTPUT = 3450;

  /**
   * How to start it.
   *
   * @param port loopback port, 0 for any free one
   * @param concurrency how many jobs run at once (ffmpeg uses every core already: 1 or 2)
   * @param dataDir where the jobs are kept across restarts (created if missing, and locked: a
   *     second emulator on it fails to start, naming it), or null to keep them in memory
   * @param rerunAfter jobs read back from {@code dataDir} that must run again wait for it to
   *     complete (the local stack completes it once the SDK's properties point at the stack, so
   *     that the functions their events trigger call no other), and never run if it fails
   */
  public record Options(int port, String region, String account, int concurrency, Path dataDir,
                        CompletionStage<?> rerunAfter) {
    public Options {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
      java.util.Objects.requireNonNull(rerunAfter, "rerunAfter");
    }

    /** In memory, on any free port, one job at a time. */
    public static Options defaults() {
      return new Options(0, "us-east-1", "000000000000", 1, null, CompletableFuture.completedFuture(null));
    }

    public Options withPort(int port) {
      return new Options(port, region, account, concurrency, dataDir, rerunAfter);
    }

    public Options withConcurrency(int concurrency) {
      return new Options(port, region, account, concurrency, dataDir, rerunAfter);
    }

    public Options withDataDir(Path dir) {
      return new Options(port, region, account, concurrency, dir, rerunAfter);
    }

    public Options withRerunAfter(CompletionStage<?> ready) {
      return new Options(port, region, account, concurrency, dataDir, ready);
    }
  }

  /** An event as a PutEvents entry: what AWS puts on the default bus for each job state change. */
  public record Event(String source, String detailType, List<String> resources, String detail) {}

  /** A sink putting the events on {@code bus} of a local EventBridge, as AWS puts them on default. */
  public static Consumer<Event> toEventBridge(EventBridgeEmulator eventBridge, String bus) {
    return e -> eventBridge.putEvent(bus, e.source(), e.detailType(), e.resources(), e.detail());
  }

  /** Set once by {@link #start}, before the emulator is handed out. */
  private HttpServer server;
  private final ExecutorService workers;
  /** Output uploads and read-backs of the running jobs (a few at once per job: they mostly wait on I/O). */
  private final ExecutorService uploads;
  private final Options options;
  private final S3Client s3;
  private final Consumer<Event> events;
  private final Clock clock;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, String> jobByToken = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  /** Where the jobs are saved, or null in memory. */
  private final JobStore store;
  private final AtomicLong sequence = new AtomicLong();
  /** What could not be read back from the data directory at start. */
  private List<String> problems = List.of();
  private volatile boolean closing;

  private MediaConvertEmulator(Options options, S3Client s3, Consumer<Event> events, JobStore store) {
    this.options = options;
    this.s3 = s3;
    this.events = events;
    this.store = store;
    this.clock = Clock.systemUTC();
    this.workers = Executors.newFixedThreadPool(options.concurrency(), Loopback.daemons("mediaconvert-job"));
    this.uploads = Executors.newFixedThreadPool(4 * options.concurrency(), Loopback.daemons("mediaconvert-upload"));
  }

  /**
   * Starts the API on 127.0.0.1. With a data directory, its jobs are read back first (a file that
   * is not a job is kept aside as {@code *.unreadable} and logged, see {@link #dataDirProblems()}),
   * and those that were running are queued again once {@link Options#rerunAfter()} completes.
   *
   * @param s3 a client of the local S3 (path-style), through which inputs are read and outputs written
   * @param events where job state change events go (see {@link #toEventBridge})
   * @throws IOException when the data directory cannot be read or is held by another emulator
   */
  public static MediaConvertEmulator start(Options options, S3Client s3, Consumer<Event> events) throws IOException {
    JobStore store = options.dataDir() == null ? null : JobStore.open(options.dataDir());
    MediaConvertEmulator emulator = new MediaConvertEmulator(options, s3, events, store);
    try {
      List<Runnable> rerun = store == null ? List.of() : emulator.restore();
      emulator.server = Loopback.serve(options.port(), "mediaconvert-http", 4, emulator::handle);
      options.rerunAfter().thenRun(() -> rerun.forEach(Runnable::run));
      return emulator;
    } catch (IOException | RuntimeException e) {
      emulator.workers.shutdownNow();
      emulator.uploads.shutdownNow();
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  /**
   * Reads the jobs back; returns what to do, in the order they were created, for those that were
   * running: run them again, or end them CANCELED when a cancel was asked before the stop.
   */
  private List<Runnable> restore() {
    JobStore.Loaded loaded = store.readBack();
    problems = loaded.problems();
    problems.forEach(p -> log.warn("the local MediaConvert's data directory: {}", p));
    List<Runnable> rerun = new ArrayList<>();
    for (Job job : loaded.jobs()) {
      jobs.put(job.id, job);
      String token = job.request.path("clientRequestToken").asString(null);
      if (token != null) {
        jobByToken.put(token, job.id);
      }
      sequence.set(Math.max(sequence.get(), job.sequence + 1));
      if (job.status() == Job.Status.SUBMITTED || job.status() == Job.Status.PROGRESSING) {
        rerun.add(job.resubmit(clock.millis()) ? () -> queue(job) : () -> record(job));
      }
    }
    log.info("the local MediaConvert read back {} jobs from {} and runs again the {} that were running",
        loaded.jobs().size(), store.dir(), rerun.size());
    return rerun;
  }

  private void queue(Job job) {
    try {
      workers.execute(() -> run(job));
    } catch (RejectedExecutionException closed) {
      // stopped before it ran: it is still saved as it was, for the next start
    }
  }

  /**
   * What could not be read back from the data directory at start (one sentence each, naming the
   * file and where it was kept aside); empty in memory or when every job was read.
   */
  public List<String> dataDirProblems() {
    return problems;
  }

  public URI endpoint() {
    return Loopback.endpoint(server);
  }

  private String queueArn(String queue) {
    String name = queue == null || queue.isEmpty() ? "Default"
        : queue.startsWith("arn:") ? queue.substring(queue.lastIndexOf('/') + 1) : queue;
    return "arn:aws:mediaconvert:" + options.region() + ":" + options.account() + ":queues/" + name;
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      int status = 200;
      byte[] response;
      try {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Response r = dispatch(method, path, query(exchange.getRequestURI().getRawQuery()), body);
        status = r.status();
        response = JSON.writeValueAsBytes(r.body());
      } catch (MediaConvertException e) {
        status = e.code.status;
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.code.name());
        response = JSON.writeValueAsBytes(JSON.createObjectNode().put("message", e.getMessage()));
      } catch (RuntimeException e) {
        log.error("MediaConvert emulator failed on {} {}", method, path, e);
        status = 500;
        exchange.getResponseHeaders().set("x-amzn-ErrorType", MediaConvertException.Code.InternalServerErrorException.name());
        response = JSON.writeValueAsBytes(JSON.createObjectNode().put("message", String.valueOf(e.getMessage())));
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(status, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  private record Response(int status, JsonNode body) {}

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private Response dispatch(String method, String path, Map<String, String> query, byte[] body) {
    if (path.equals(API + "/jobs") || path.equals(API + "/jobs/")) {
      if (method.equals("POST")) {
        return new Response(201, JSON.createObjectNode().set("job", createJob(object(body))));
      }
      if (method.equals("GET")) {
        return new Response(200, listJobs(query));
      }
    } else if (path.startsWith(API + "/jobs/")) {
      String id = URLDecoder.decode(path.substring((API + "/jobs/").length()), StandardCharsets.UTF_8);
      if (method.equals("GET")) {
        return new Response(200, JSON.createObjectNode().set("job", job(id).toJson()));
      }
      if (method.equals("DELETE")) {
        cancelJob(id);
        return new Response(202, JSON.createObjectNode());
      }
    } else if (path.equals(API + "/endpoints") && method.equals("POST")) {
      ObjectNode out = JSON.createObjectNode();
      out.putArray("endpoints").addObject().put("url", endpoint().toString());
      return new Response(200, out);
    }
    throw new MediaConvertException(MediaConvertException.Code.BadRequestException,
        method + " " + path + " is not an operation the local MediaConvert serves");
  }

  private static JsonNode object(byte[] body) {
    try {
      JsonNode node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      if (!node.isObject()) {
        throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "request body is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "request body is not JSON");
    }
  }

  private Job job(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      throw new MediaConvertException(MediaConvertException.Code.NotFoundException, "The job " + id + " was not found.");
    }
    return job;
  }

  // ---------------------------------------------------------------- operations

  private ObjectNode createJob(JsonNode request) {
    if (!request.path("role").isString() || request.path("role").asString().isEmpty()) {
      throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "/role is a required property");
    }
    if (!request.path("settings").isObject()) {
      throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "/settings is a required property");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode um = request.path("userMetadata");
    if (!um.isMissingNode() && !um.isNull()) {
      if (!um.isObject()) {
        throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "/userMetadata must be an object");
      }
      um.properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asString()));
    }
    String token = request.path("clientRequestToken").asString(null);
    Job job;
    synchronized (jobByToken) {
      // The same client request token answers the job it created, as the idempotency token promises.
      if (token != null && jobByToken.containsKey(token)) {
        return jobs.get(jobByToken.get(token)).toJson();
      }
      long now = clock.millis();
      String id = now + "-" + randomSuffix();
      job = new Job(id, sequence.getAndIncrement(),
          "arn:aws:mediaconvert:" + options.region() + ":" + options.account() + ":jobs/" + id,
          queueArn(request.path("queue").asString(null)), request.path("role").asString(), now, request.deepCopy(),
          metadata);
      if (store != null) {
        // Saved before it is answered: a job CreateJob returned is never lost by a restart.
        synchronized (job) {
          store.save(job);
        }
      }
      jobs.put(id, job);
      if (token != null) {
        jobByToken.put(token, id);
      }
    }
    queue(job);
    return job.toJson();
  }

  private String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private JsonNode listJobs(Map<String, String> query) {
    int max = MAX_RESULTS;
    if (query.containsKey("maxResults")) {
      try {
        max = Integer.parseInt(query.get("maxResults"));
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > MAX_RESULTS) {
        throw new MediaConvertException(MediaConvertException.Code.BadRequestException,
            "maxResults must be between 1 and " + MAX_RESULTS);
      }
    }
    String order = query.getOrDefault("order", "DESCENDING");
    String status = query.get("status");
    String queue = query.containsKey("queue") ? queueArn(query.get("queue")) : null;
    Comparator<Job> byCreation = Comparator.<Job>comparingLong(j -> j.createdAtMillis).thenComparing(j -> j.id);
    List<Job> all = jobs.values().stream()
        .filter(j -> status == null || j.status().name().equals(status))
        .filter(j -> queue == null || j.queueArn.equals(queue))
        .sorted(order.equals("ASCENDING") ? byCreation : byCreation.reversed())
        .toList();
    int from = 0;
    if (query.containsKey("nextToken")) {
      try {
        from = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(query.get("nextToken")), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new MediaConvertException(MediaConvertException.Code.BadRequestException, "nextToken is not valid");
      }
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("jobs");
    int to = Math.min(all.size(), from + max);
    for (int i = from; i < to; i++) {
      list.add(all.get(i).toJson());
    }
    if (to < all.size()) {
      out.put("nextToken", java.util.Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private void cancelJob(String id) {
    Job job = job(id);
    boolean wasQueued = job.status() == Job.Status.SUBMITTED;
    if (!job.requestCancel(clock.millis())) {
      throw new MediaConvertException(MediaConvertException.Code.ConflictException,
          "The job " + id + " is " + job.status() + " and can no longer be canceled.");
    }
    if (wasQueued && job.status() == Job.Status.CANCELED) {
      record(job);
    } else {
      save(job); // the cancel asked for: a stop before the run ends does not make the job run again
    }
  }

  // ---------------------------------------------------------------- running a job

  private void run(Job job) {
    if (!job.start(clock.millis())) {
      return; // cancelled while queued
    }
    record(job);
    Path work = null;
    List<String> uploaded = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      work = Files.createTempDirectory("mediaconvert-" + job.id);
      TranscodePlan plan = plan(job);
      Path input = download(plan, work);
      Probe source = Probe.of(input);
      if (source == null || !source.hasVideo()) {
        throw new JobFailure(ERROR_INPUT, "Unable to open input file [" + plan.input().uri() + "]: [Failed probe/open: [no video stream]]");
      }
      for (Group g : plan.groups()) {
        for (Output o : g.outputs()) {
          if (o.aac() != null && !source.hasAudio()) {
            throw new JobFailure(ERROR_SETTINGS, "unsupported setting: " + o.path()
                + ".audioDescriptions: the input [" + plan.input().uri() + "] has no audio track");
          }
        }
        Files.createDirectories(FfmpegCommand.groupDir(work, g));
      }
      transcode(job, plan, input, work, source.durationSeconds());
      if (job.cancelRequested()) {
        throw new Cancelled();
      }
      if (job.progress("UPLOADING", 96)) {
        save(job);
      }
      // The outputs are read back (probed) while they are uploaded: both are mostly waiting.
      Path written = work;
      java.util.concurrent.CompletableFuture<ArrayNode> details = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return outputDetails(plan, written);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, uploads);
      upload(job, plan, work, uploaded, false);
      ArrayNode readBack = join(details); // it writes the master playlists
      upload(job, plan, work, uploaded, true);
      if (!job.complete(readBack, clock.millis())) {
        throw new Cancelled();
      }
    } catch (Cancelled e) {
      deleteQuietly(uploaded);
      job.canceled(clock.millis());
    } catch (JobFailure e) {
      deleteQuietly(uploaded);
      if (job.cancelRequested()) {
        job.canceled(clock.millis());
      } else {
        job.fail(e.code, e.getMessage(), clock.millis());
      }
    } catch (Setting.Unsupported e) {
      job.fail(ERROR_SETTINGS, e.getMessage(), clock.millis());
    } catch (IOException | RuntimeException e) {
      if (!job.cancelRequested()) {
        log.warn("local MediaConvert job {} failed", job.id, e);
      }
      deleteQuietly(uploaded);
      if (job.cancelRequested()) {
        job.canceled(clock.millis());
      } else {
        job.fail(ERROR_TRANSCODE, "local MediaConvert failed: " + e, clock.millis());
      }
    } finally {
      deleteTree(work);
    }
    record(job);
  }

  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super(null, null, false, false);
    }
  }

  private static final class JobFailure extends RuntimeException {
    final int code;

    JobFailure(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** Reads the request beside the settings too: a job template or hop destinations change the job. */
  private static TranscodePlan plan(Job job) {
    Setting request = new Setting(job.request, "");
    for (String f : List.of("role", "queue", "userMetadata", "clientRequestToken", "priority", "statusUpdateInterval",
        "tags", "billingTagsSource", "jobEngineVersion")) {
      request.ignore(f);
    }
    request.ignore("simulateReservedQueue", "DISABLED");
    Setting acceleration = request.object("accelerationSettings");
    if (acceleration != null) {
      acceleration.oneOf("mode", "DISABLED", "DISABLED", "PREFERRED");
      acceleration.done();
    }
    request.ignore("settings");
    request.done();
    return TranscodePlan.parse(job.request.get("settings"));
  }

  private Path download(TranscodePlan plan, Path work) {
    String name = plan.input().key().substring(plan.input().key().lastIndexOf('/') + 1);
    Path file = work.resolve("input-" + (name.isEmpty() ? "source" : name.replaceAll("[^A-Za-z0-9._-]", "_")));
    try {
      s3.getObject(b -> b.bucket(plan.input().bucket()).key(plan.input().key()), file);
      return file;
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new JobFailure(ERROR_INPUT, "Unable to open input file [" + plan.input().uri() + "]: [Failed probe/open: ["
          + e.awsErrorDetails().errorMessage() + "]]");
    }
  }

  private void transcode(Job job, TranscodePlan plan, Path input, Path work, double durationSeconds)
      throws IOException {
    List<String> args = FfmpegCommand.build(plan, input, work, true);
    Path err = work.resolve("ffmpeg.err");
    ProcessBuilder pb = Ffmpeg.get().ffmpeg(args).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!job.attach(p)) {
      throw new Cancelled();
    }
    if (job.progress("TRANSCODING", 1)) {
      save(job);
    }
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("out_time_us=") && durationSeconds > 0) {
          try {
            long us = Long.parseLong(line.substring("out_time_us=".length()).trim());
            job.progress("TRANSCODING", (int) Math.min(95, us / 1e6 / durationSeconds * 95));
          } catch (NumberFormatException notYet) {
            // "N/A" before the first frame
          }
        }
      }
      int exit = p.waitFor();
      if (job.cancelRequested()) {
        throw new Cancelled();
      }
      if (exit != 0) {
        String stderr = Files.readString(err);
        throw new JobFailure(ERROR_TRANSCODE, "transcoding failed (ffmpeg exited " + exit + "): "
            + (stderr.length() > 2000 ? stderr.substring(stderr.length() - 2000) : stderr).trim());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new Cancelled();
    } finally {
      job.detach();
      Files.deleteIfExists(err);
    }
  }

  /** The event's outputGroupDetails, read back from the files written (sizes and durations probed). */
  private ArrayNode outputDetails(TranscodePlan plan, Path work) throws IOException {
    ArrayNode groups = JSON.createArrayNode();
    // One ffprobe per output, all at once: each is mostly process start-up, and they add up.
    Map<Path, java.util.concurrent.CompletableFuture<Probe>> probes = new HashMap<>();
    for (Group g : plan.groups()) {
      Path dir = FfmpegCommand.groupDir(work, g);
      try (Stream<Path> files = Files.list(dir)) {
        // Variant playlists and MP4s; of the frame captures only the last is probed, below.
        files.filter(f -> f.toString().endsWith(".m3u8") || f.toString().endsWith(".mp4"))
            .forEach(f -> probes.put(f, java.util.concurrent.CompletableFuture.supplyAsync(() -> Probe.of(f))));
      }
    }
    for (Group g : plan.groups()) {
      Path dir = FfmpegCommand.groupDir(work, g);
      String prefix = "s3://" + g.bucket() + "/" + g.baseKey().substring(0, g.baseKey().lastIndexOf('/') + 1);
      ObjectNode group = groups.addObject();
      ArrayNode outs = group.putArray("outputDetails");
      List<HlsPlaylists.Variant> variants = new ArrayList<>();
      for (Output o : g.outputs()) {
        String stem = FfmpegCommand.fileStem(g, o);
        Path file;
        if (o.frameCapture() != null) {
          try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(stem) + "\\.\\d{7}\\.jpg"))
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new JobFailure(ERROR_TRANSCODE, "no frame was captured for " + o.path()));
          }
        } else {
          file = dir.resolve(stem + (g.type() == GroupType.HLS_GROUP ? ".m3u8" : ".mp4"));
        }
        Probe probe = probes.computeIfAbsent(file,
            f -> java.util.concurrent.CompletableFuture.supplyAsync(() -> Probe.of(f))).join();
        if (probe == null || !probe.hasVideo()) {
          throw new JobFailure(ERROR_TRANSCODE, "the output of " + o.path() + " could not be read back");
        }
        ObjectNode d = outs.addObject();
        d.putArray("outputFilePaths").add(prefix + file.getFileName());
        d.put("durationInMs", Math.round(probe.durationSeconds() * 1000));
        ObjectNode video = d.putObject("videoDetails");
        video.put("widthInPx", probe.width());
        video.put("heightInPx", probe.height());
        if (g.type() == GroupType.HLS_GROUP) {
          variants.add(new HlsPlaylists.Variant(file, probe, o.aac() != null));
        }
      }
      if (g.type() == GroupType.HLS_GROUP) {
        String master = g.baseKey().substring(g.baseKey().lastIndexOf('/') + 1) + ".m3u8";
        Files.writeString(dir.resolve(master), HlsPlaylists.master(variants));
        group.putArray("playlistFilePaths").add("s3://" + g.bucket() + "/" + g.masterKey());
        group.put("type", "HLS_GROUP");
      } else {
        group.put("type", "FILE_GROUP");
      }
    }
    return groups;
  }

  /** Uploads the media ({@code playlists} false: in parallel) or then the playlists (one by one, masters last). */
  private void upload(Job job, TranscodePlan plan, Path work, List<String> uploaded, boolean playlists) throws IOException {
    for (Group g : plan.groups()) {
      Path dir = FfmpegCommand.groupDir(work, g);
      String keyPrefix = g.baseKey().substring(0, g.baseKey().lastIndexOf('/') + 1);
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        // Media first, playlists last: a reader that sees a playlist finds its segments.
        files = s.sorted(Comparator.comparing((Path f) -> f.toString().endsWith(".m3u8"))
            .thenComparing(f -> f.getFileName().toString().equals(g.masterKey().substring(keyPrefix.length())))
            .thenComparing(Comparator.naturalOrder())).toList();
      }
      if (playlists) {
        for (Path f : files) {
          if (f.toString().endsWith(".m3u8")) {
            put(job, g, keyPrefix, f, uploaded);
          }
        }
        continue;
      }
      List<java.util.concurrent.CompletableFuture<Void>> media = new ArrayList<>();
      for (Path f : files) {
        if (!f.toString().endsWith(".m3u8")) {
          media.add(java.util.concurrent.CompletableFuture.runAsync(() -> put(job, g, keyPrefix, f, uploaded), uploads));
        }
      }
      join(java.util.concurrent.CompletableFuture.allOf(media.toArray(java.util.concurrent.CompletableFuture[]::new)));
    }
  }

  /** The value of {@code f}, rethrowing what failed it as it was thrown (a JobFailure, a Cancelled). */
  private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void put(Job job, Group g, String keyPrefix, Path f, List<String> uploaded) {
    if (job.cancelRequested()) {
      throw new Cancelled();
    }
    String key = keyPrefix + f.getFileName();
    try {
      s3.putObject(b -> b.bucket(g.bucket()).key(key).contentType(contentType(key)), RequestBody.fromFile(f));
    } catch (RuntimeException e) {
      throw new JobFailure(ERROR_OUTPUT, "Unable to write to output file [s3://" + g.bucket() + "/" + key + "]: " + e.getMessage());
    }
    uploaded.add(g.bucket() + "/" + key);
  }

  private static String contentType(String key) {
    if (key.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    } else if (key.endsWith(".ts")) {
      return "video/MP2T";
    } else if (key.endsWith(".mp4")) {
      return "video/mp4";
    } else if (key.endsWith(".jpg")) {
      return "image/jpeg";
    }
    return "application/octet-stream";
  }

  private void deleteQuietly(List<String> uploaded) {
    for (String bucketKey : uploaded) {
      int slash = bucketKey.indexOf('/');
      try {
        s3.deleteObject(b -> b.bucket(bucketKey.substring(0, slash)).key(bucketKey.substring(slash + 1)));
      } catch (RuntimeException e) {
        log.warn("could not remove the partial output {}: {}", bucketKey, e.toString());
      }
    }
    uploaded.clear();
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not remove {}: {}", dir, e.toString());
    }
  }

  /** Saves the job's new status, then emits it; neither when the emulator stops with a data directory. */
  private void record(Job job) {
    if (save(job)) {
      emit(job);
    }
  }

  /**
   * Saves the job, if there is a data directory (a failure is logged, and the job goes on); false
   * once the emulator stops with one, unless the job has just ended COMPLETE or ERROR on its own:
   * the job then rests as last saved, to run again at the next start, rather than as the stop's
   * cancel left it. Checked under the job's lock, which the stop's cancel takes after setting
   * {@code closing}: no save can hold that cancel. A job that completed as the stop came is saved
   * so: GetJob has already said COMPLETE, and the next start must not run it again.
   */
  private boolean save(Job job) {
    if (store == null) {
      return true;
    }
    synchronized (job) {
      if (closing && job.status() != Job.Status.COMPLETE && job.status() != Job.Status.ERROR) {
        return false;
      }
      try {
        store.save(job);
      } catch (RuntimeException e) {
        log.warn("could not save the state of job {}: {}", job.id, e.toString());
      }
      return true;
    }
  }

  private void emit(Job job) {
    try {
      String detail = JSON.writeValueAsString(job.eventDetail(options.account(), clock.millis()));
      events.accept(new Event("aws.mediaconvert", "MediaConvert Job State Change", List.of(job.arn), detail));
    } catch (RuntimeException e) {
      log.warn("could not emit the state change of job {}: {}", job.id, e.toString());
    }
  }

  /**
   * Stops the API, kills running transcodes. In memory their jobs end CANCELED; with a data
   * directory they rest as last saved (SUBMITTED or PROGRESSING), to run again at the next start.
   */
  @Override
  public void close() {
    closing = true;
    server.stop(0);
    jobs.values().forEach(j -> j.requestCancel(clock.millis()));
    workers.shutdownNow();
    uploads.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }
}
