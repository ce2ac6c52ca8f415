package videopipe.functions.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.FunctionsApplication;
import videopipe.functions.Settings;
import videopipe.functions.api.ApiFunctions;
import videopipe.functions.api.HttpApiRequest;
import videopipe.functions.api.HttpApiResponse;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.testing.LambdaContext;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.LambdaIntegration;
import videopipe.localstack.apigateway.OpenApiDocument;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.s3.S3Emulator;

/**
 * The upload API's benchmark (issue 6), two parts, each against a baseline measured in the same
 * run, rounds of every variant interleaved so that the machine's load falls on all of them alike,
 * medians of the rounds after the warm-ups.
 *
 * <p><b>(a) {@code POST /uploads} throughput</b>, in requests per second, at a few client
 * concurrencies: the local HTTP API gateway (the repo's OpenAPI document, a JWT verified on every
 * request, payload format 2.0) → the {@code createUpload} bean run by Spring Cloud Function's
 * {@code FunctionInvoker} (warm containers, at most {@code bench.containers} per function, as the
 * local Lambda runs them) → dynalite (the catalog's conditional PutItem) and the SDK's presigner.
 * Two requests: a video under the single-PUT limit (one presigned PUT), and a 1 GiB one (a
 * CreateMultipartUpload on S3Proxy and a presigned URL per part). Baselines: the same gateway, the
 * same token checks and bodies, with a function that answers at once with a recorded
 * {@code createUpload} answer (what the gateway itself costs); and the same event handed to the
 * same invokers in process, with no HTTP and no JWT (what the function costs).
 *
 * <p><b>(b) a 1 GiB upload</b> through the presigned part URLs of a plan from the real
 * {@code createUpload}, N parts in flight at once (N = 1, 2, 4, 8), then {@code completeUpload};
 * against one stream through the single presigned PUT {@code createUpload} answers when the
 * single-PUT limit is raised to the object's size. S3Proxy with SigV4 authentication on, its
 * file store in a temporary folder (removed at the end; the run refuses to start without room for
 * three copies of the object). Time is from the {@code POST /uploads} to the object in place; each
 * object is checked (length and ETag, computed here from the bytes sent) and deleted. The two
 * {@code createUpload} configurations are called in process: one request per upload, so the
 * gateway's cost is noise here, and the same JVM cannot hold two environments for one bean.
 *
 * <p>Run from the repository's root (the localstack jar must be in {@code ~/.m2}):
 *
 * <pre>
 * ./mvnw -q -pl functions test-compile exec:exec@upload-api-benchmark
 * </pre>
 *
 * Knobs ({@code -Dbench.*}, passed through by the pom): {@code only=a,b}, {@code warmups},
 * {@code rounds}, {@code seconds} (each measurement window in (a)), {@code concurrency=1,4,16},
 * {@code containers=4}, {@code uploadBytes} (default 1 GiB), {@code parallel=1,2,4,8},
 * {@code uploadWarmups}, {@code uploadRounds}. Exits non-zero when any request fails or any object
 * differs from what was sent.
 */
public final class UploadApiBenchmark {

  private static final long MIB = 1024 * 1024;
  private static final String BUCKET = "upload-api-bench";
  private static final String TABLE = "upload-api-bench-catalog";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SMALL_BODY =
      "{\"fileName\":\"holiday.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":10485760}";

  private UploadApiBenchmark() {}

  record Knobs(Set<String> only, int warmups, int rounds, Duration window, List<Integer> concurrency,
      int containers, long uploadBytes, List<Integer> parallel, int uploadWarmups, int uploadRounds) {

    static Knobs fromSystemProperties() {
      return new Knobs(Set.copyOf(list("bench.only", "a,b")), integer("bench.warmups", 2),
          integer("bench.rounds", 5), Duration.ofMillis((long) (Double.parseDouble(
              System.getProperty("bench.seconds", "3")) * 1000)),
          list("bench.concurrency", "1,4,16").stream().map(Integer::parseInt).toList(),
          integer("bench.containers", 4),
          Long.parseLong(System.getProperty("bench.uploadBytes", Long.toString(1024 * MIB))),
          list("bench.parallel", "1,2,4,8").stream().map(Integer::parseInt).toList(),
          integer("bench.uploadWarmups", 1), integer("bench.uploadRounds", 3));
    }

    private static List<String> list(String name, String fallback) {
      String value = System.getProperty(name, "");
      return Arrays.stream((value.isBlank() ? fallback : value).split(",")).map(String::trim)
          .filter(s -> !s.isEmpty()).toList();
    }

    private static int integer(String name, int fallback) {
      String value = System.getProperty(name, "");
      return value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
  }

  public static void main(String[] args) throws Exception {
    Knobs knobs = Knobs.fromSystemProperties();
    Path work = Files.createTempDirectory("videopipe-upload-api-bench");
    StringBuilder report = new StringBuilder();
    try {
      if (knobs.only().contains("b")) {
        requireDisk(work, knobs.uploadBytes());
      }
      System.out.printf(Locale.ROOT, "%d cores, load average %s; knobs %s%n",
          Runtime.getRuntime().availableProcessors(), loadAverage(), knobs);
      try (S3Emulator s3 = S3Emulator.start(S3Emulator.Options.onDisk(work.resolve("s3")));
           DynamoEmulator dynamo = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
           S3Client s3Client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
               .credentialsProvider(credentials(s3)).forcePathStyle(true)
               .httpClient(UrlConnectionHttpClient.create()).build();
           S3Presigner presigner = S3Presigner.builder().endpointOverride(s3.endpoint())
               .region(Region.of(s3.region())).credentialsProvider(credentials(s3))
               .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
           DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
               .region(Region.of(s3.region())).credentialsProvider(credentials(s3))
               .httpClient(UrlConnectionHttpClient.create()).build()) {
        s3Client.createBucket(b -> b.bucket(BUCKET));
        CatalogTable.create(dynamoDb, TABLE);
        functionEnvironment(s3, dynamo);
        if (knobs.only().contains("a")) {
          report.append(throughput(knobs)).append('\n');
        }
        if (knobs.only().contains("b")) {
          report.append(uploads(knobs, s3Client, dynamoDb, presigner)).append('\n');
        }
      }
      System.out.println();
      System.out.print(report);
      System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
    } finally {
      delete(work);
    }
  }

  /**
   * What the functions read: the SDK's default chains (endpoints, keys, region) and the
   * function's variables, as system properties, which Spring and the SDK both read, as the
   * functions' tests do.
   */
  private static void functionEnvironment(S3Emulator s3, DynamoEmulator dynamo) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("aws.endpointUrlS3", s3.endpoint().toString());
    p.put("aws.endpointUrlDynamoDb", dynamo.endpoint().toString());
    p.put("aws.accessKeyId", s3.accessKey());
    p.put("aws.secretAccessKey", s3.secretKey());
    p.put("aws.region", s3.region());
    p.put("MAIN_CLASS", FunctionsApplication.class.getName());
    p.put("CATALOG_TABLE", TABLE);
    p.put("EVENT_BUS_NAME", "unused");
    p.put("UPLOAD_BUCKET", BUCKET);
    p.put("S3_FORCE_PATH_STYLE", "true");
    p.forEach(System::setProperty);
  }

  // ------------------------------------------------------------------ (a) POST /uploads throughput

  /** A request the clients repeat; answers whether it got what it should. */
  @FunctionalInterface
  interface Call {
    void run(int client) throws Exception;
  }

  private static String throughput(Knobs knobs) throws Exception {
    OpenApiDocument document;
    try (InputStream in = FunctionsApplication.class.getResourceAsStream("/api/openapi.yaml")) {
      document = OpenApiDocument.read(in);
    }
    InvokerPool pool = new InvokerPool(knobs.containers());
    AtomicReference<byte[]> recordedEvent = new AtomicReference<>();
    AtomicReference<byte[]> recordedAnswer = new AtomicReference<>();
    LambdaIntegration lambda = (function, event) -> {
      byte[] answer = pool.invoke(function, event);
      recordedEvent.compareAndSet(null, event);
      recordedAnswer.compareAndSet(null, answer);
      return answer;
    };
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int maxClients = knobs.concurrency().stream().mapToInt(Integer::intValue).max().orElse(1);
    try (HttpApiGateway gateway = HttpApiGateway.start(HttpApiGateway.Config.defaults(), document, lambda)) {
      pool.start("createUpload", knobs.containers());
      List<String> tokens = tokens(gateway, maxClients);
      String multipartBody = "{\"fileName\":\"long.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":"
          + knobs.uploadBytes() + "}";
      // One request first: it records the event the gateway builds and the function's answer.
      JsonNode first = post(http, gateway, tokens.get(0), SMALL_BODY, 201);
      if (!first.has("upload")) {
        throw new IllegalStateException("expected a single presigned PUT for 10 MiB: " + first);
      }
      JsonNode plan = post(http, gateway, tokens.get(0), multipartBody, 201).path("multipart");
      int partCount = plan.path("partCount").asInt();
      if (partCount < 1) {
        throw new IllegalStateException("expected a multipart plan for " + knobs.uploadBytes() + " bytes");
      }
      byte[] event = recordedEvent.get();
      byte[] answer = recordedAnswer.get();
      try (HttpApiGateway floor = HttpApiGateway.start(HttpApiGateway.Config.defaults(), document,
          (function, e) -> answer)) {
        List<String> floorTokens = tokens(floor, maxClients);
        Map<String, Call> variants = new LinkedHashMap<>();
        variants.put("http", c -> post(http, gateway, tokens.get(c), SMALL_BODY, 201));
        variants.put("http-multipart", c -> post(http, gateway, tokens.get(c), multipartBody, 201));
        variants.put("floor", c -> post(http, floor, floorTokens.get(c), SMALL_BODY, 201));
        variants.put("in-process", c -> {
          String out = new String(pool.invoke("createUpload", event), StandardCharsets.UTF_8);
          if (!out.contains("\"statusCode\":201")) {
            throw new IllegalStateException("in process: " + out);
          }
        });
        Map<String, Map<Integer, List<Double>>> rates = new LinkedHashMap<>();
        for (int clients : knobs.concurrency()) {
          for (int round = 0; round < knobs.warmups() + knobs.rounds(); round++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "(a) %2d clients, %s %d:", clients,
                round < knobs.warmups() ? "warm-up" : "round", round < knobs.warmups() ? round + 1
                    : round - knobs.warmups() + 1));
            for (Map.Entry<String, Call> v : variants.entrySet()) {
              double rate = measure(v.getValue(), clients, knobs.window());
              line.append(String.format(Locale.ROOT, " %s %.0f/s", v.getKey(), rate));
              if (round >= knobs.warmups()) {
                rates.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(clients, k -> new ArrayList<>()).add(rate);
              }
            }
            System.out.println(line);
          }
        }
        return throughputTable(knobs, rates, partCount);
      }
    }
  }

  private static String throughputTable(Knobs knobs, Map<String, Map<Integer, List<Double>>> rates, int parts) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "(a) POST /uploads, requests/s, median of %d rounds of %.1f s after %d "
        + "warm-ups; %d warm containers%n%n", knobs.rounds(), knobs.window().toMillis() / 1000.0, knobs.warmups(),
        knobs.containers()));
    b.append("| clients | over HTTP: 10 MiB (one PUT) | over HTTP: ").append(human(knobs.uploadBytes()))
        .append(" (").append(parts).append(" part URLs) | gateway floor (recorded answer) "
            + "| createUpload in process | HTTP ÷ floor | HTTP ÷ in process |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int clients : knobs.concurrency()) {
      double http = median(rates.get("http").get(clients));
      double multipart = median(rates.get("http-multipart").get(clients));
      double floor = median(rates.get("floor").get(clients));
      double local = median(rates.get("in-process").get(clients));
      b.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %.2f |%n", clients, http,
          multipart, floor, local, http / floor, http / local));
    }
    return b.toString();
  }

  private static List<String> tokens(HttpApiGateway gateway, int n) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tokens.add(gateway.mintToken(UUID.randomUUID().toString(), Duration.ofHours(2)));
    }
    return tokens;
  }

  private static JsonNode post(HttpClient http, HttpApiGateway gateway, String token, String body, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.endpoint().resolve("/uploads"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException("POST /uploads answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * Requests per second with {@code clients} threads calling {@code call} in a loop for about
   * {@code window}: completed calls over the time until the last one finished. Any failure ends
   * the run, with the first failure's message.
   */
  private static double measure(Call call, int clients, Duration window) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] deadline = new long[1];
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        try {
          start.await();
          while (System.nanoTime() < deadline[0] && failure.get() == null) {
            call.run(client);
            done.incrementAndGet();
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-client-" + c);
      threads.add(t);
      t.start();
    }
    long started = System.nanoTime();
    deadline[0] = started + window.toNanos();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - started;
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed", failure.get());
    }
    return done.get() / (elapsed / 1e9);
  }

  /**
   * Warm Lambda containers, in process: Spring Cloud Function's {@code FunctionInvoker}, one
   * request at a time each, at most {@code limit} per function (the local Lambda's default
   * reserved concurrency); a request beyond waits for one, as a throttled invoke would be retried.
   */
  static final class InvokerPool {
    private final int limit;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Map<String, Deque<FunctionInvoker>> warm = new ConcurrentHashMap<>();

    InvokerPool(int limit) {
      this.limit = limit;
    }

    /** Starts {@code n} containers of {@code function} now, one after the other, so that no round pays for one. */
    void start(String function, int n) {
      Deque<FunctionInvoker> containers = warm.computeIfAbsent(function, f -> new ConcurrentLinkedDeque<>());
      while (containers.size() < Math.min(n, limit)) {
        containers.add(new FunctionInvoker(function));
      }
    }

    byte[] invoke(String function, byte[] event) throws Exception {
      Semaphore semaphore = permits.computeIfAbsent(function, f -> new Semaphore(limit, true));
      Deque<FunctionInvoker> containers = warm.computeIfAbsent(function, f -> new ConcurrentLinkedDeque<>());
      semaphore.acquire();
      try {
        FunctionInvoker invoker = containers.pollFirst();
        if (invoker == null) {
          invoker = new FunctionInvoker(function);
        }
        try {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          invoker.handleRequest(new ByteArrayInputStream(event), out, new LambdaContext(function));
          return out.toByteArray();
        } finally {
          containers.offerFirst(invoker);
        }
      } finally {
        semaphore.release();
      }
    }
  }

  // ------------------------------------------------------------------ (b) a 1 GiB upload

  /** The bytes uploaded: a random block repeated, generated once, so sending them costs no CPU. */
  record Content(byte[] block, long size) {

    static Content of(long size) {
      byte[] block = new byte[(int) MIB + 4099]; // not a divisor of the part size: parts differ
      new Random(6).nextBytes(block);
      return new Content(block, size);
    }

    void write(OutputStream out, long from, long length) throws IOException {
      long at = from;
      long end = from + length;
      while (at < end) {
        int offset = (int) (at % block.length);
        int n = (int) Math.min(block.length - offset, end - at);
        out.write(block, offset, n);
        at += n;
      }
    }

    byte[] md5(long from, long length) {
      MessageDigest md5 = UploadApiBenchmark.md5();
      try {
        write(new OutputStream() {
          @Override
          public void write(int b) {
            md5.update((byte) b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            md5.update(b, off, len);
          }
        }, from, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return md5.digest();
    }
  }

  /** One upload's outcome: its time from {@code POST /uploads} to the object in place, and the completion's share. */
  record Upload(double seconds, double completeSeconds) {}

  private static String uploads(Knobs knobs, S3Client s3, DynamoDbClient dynamoDb, S3Presigner presigner)
      throws Exception {
    long size = knobs.uploadBytes();
    Catalog catalog = new Catalog(dynamoDb, TABLE, Clock.systemUTC());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CATALOG_TABLE", TABLE);
    env.put("EVENT_BUS_NAME", "unused");
    env.put("UPLOAD_BUCKET", BUCKET);
    env.put("S3_FORCE_PATH_STYLE", "true");
    ApiFunctions stack = new ApiFunctions(Settings.from(env), catalog, s3, presigner, Clock.systemUTC());
    env.put("SINGLE_PUT_MAX_BYTES", Long.toString(size));
    ApiFunctions onePut = new ApiFunctions(Settings.from(env), catalog, s3, presigner, Clock.systemUTC());
    Function<HttpApiRequest, HttpApiResponse> createMultipart = stack.route("createUpload");
    Function<HttpApiRequest, HttpApiResponse> createSingle = onePut.route("createUpload");
    Function<HttpApiRequest, HttpApiResponse> complete = stack.route("completeUpload");
    Function<HttpApiRequest, HttpApiResponse> abort = stack.route("abortUpload");
    String owner = UUID.randomUUID().toString();
    String body = "{\"fileName\":\"long.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":" + size + "}";

    Content content = Content.of(size);
    // The plan's part size, for the ETags to expect: a plan asked for and given up at once.
    JsonNode probe = created(createMultipart.apply(request(owner, "POST /uploads", "/uploads", null, body)));
    long partSize = probe.path("multipart").path("partSize").asLong();
    int partCount = probe.path("multipart").path("partCount").asInt();
    answer(abort.apply(request(owner, "DELETE /uploads/{videoId}", "/uploads/" + probe.path("videoId").asString(),
        probe.path("videoId").asString(), null)), 204);
    long started = System.nanoTime();
    String singleEtag = "\"" + HexFormat.of().formatHex(content.md5(0, size)) + "\"";
    MessageDigest ofParts = md5();
    for (int n = 0; n < partCount; n++) {
      ofParts.update(content.md5(n * partSize, Math.min(partSize, size - n * partSize)));
    }
    String multipartEtag = "\"" + HexFormat.of().formatHex(ofParts.digest()) + "-" + partCount + "\"";
    System.out.printf(Locale.ROOT, "(b) %s in %d parts of %s; ETags to expect computed in %.1f s%n", human(size),
        partCount, human(partSize), (System.nanoTime() - started) / 1e9);

    Map<String, List<Upload>> results = new LinkedHashMap<>();
    for (int round = 0; round < knobs.uploadWarmups() + knobs.uploadRounds(); round++) {
      boolean warmup = round < knobs.uploadWarmups();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "(b) %s %d:", warmup ? "warm-up" : "round",
          warmup ? round + 1 : round - knobs.uploadWarmups() + 1));
      List<String> names = new ArrayList<>();
      names.add("single");
      knobs.parallel().forEach(n -> names.add("parts-" + n));
      for (String name : names) {
        Upload u = name.equals("single")
            ? single(createSingle, owner, body, content, s3, singleEtag)
            : multipart(createMultipart, complete, owner, body, content, Integer.parseInt(name.substring(6)), s3,
                multipartEtag);
        line.append(String.format(Locale.ROOT, " %s %.0f MiB/s", name, size / (double) MIB / u.seconds()));
        if (!warmup) {
          results.computeIfAbsent(name, k -> new ArrayList<>()).add(u);
        }
      }
      System.out.println(line);
    }

    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "(b) %s uploaded through presigned URLs from createUpload, S3Proxy (SigV4 on, "
        + "file store), MiB/s from POST /uploads to the object in place, median of %d rounds after %d warm-up(s)%n%n",
        human(size), knobs.uploadRounds(), knobs.uploadWarmups()));
    b.append("| upload | MiB/s | ÷ single PUT | seconds | of which CompleteMultipartUpload |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    double single = size / (double) MIB / median(results.get("single").stream().map(Upload::seconds).toList());
    for (Map.Entry<String, List<Upload>> e : results.entrySet()) {
      double seconds = median(e.getValue().stream().map(Upload::seconds).toList());
      double completeSeconds = median(e.getValue().stream().map(Upload::completeSeconds).toList());
      double rate = size / (double) MIB / seconds;
      String name = e.getKey().equals("single") ? "one presigned PUT, one stream"
          : partCount + " part URLs, " + e.getKey().substring(6) + " in flight";
      b.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.1f | %s |%n", name, rate, rate / single, seconds,
          e.getKey().equals("single") ? "n/a" : String.format(Locale.ROOT, "%.1f", completeSeconds)));
    }
    return b.toString();
  }

  private static Upload single(Function<HttpApiRequest, HttpApiResponse> create, String owner, String body,
      Content content, S3Client s3, String etag) throws IOException {
    long started = System.nanoTime();
    JsonNode created = created(create.apply(request(owner, "POST /uploads", "/uploads", null, body)));
    JsonNode upload = created.path("upload");
    if (upload.isMissingNode()) {
      throw new IllegalStateException("expected one presigned PUT: " + created);
    }
    Put put = put(upload, content, 0, content.size());
    double seconds = (System.nanoTime() - started) / 1e9;
    if (put.status() != 200) {
      throw new IllegalStateException("the presigned PUT answered " + put.status() + ": " + put.body());
    }
    checkAndDelete(s3, owner, created.path("videoId").asString(), content.size(), etag, put.etag());
    return new Upload(seconds, 0);
  }

  private static Upload multipart(Function<HttpApiRequest, HttpApiResponse> create,
      Function<HttpApiRequest, HttpApiResponse> complete, String owner, String body, Content content, int inFlight,
      S3Client s3, String etag) throws Exception {
    long started = System.nanoTime();
    JsonNode created = created(create.apply(request(owner, "POST /uploads", "/uploads", null, body)));
    String videoId = created.path("videoId").asString();
    List<JsonNode> parts = new ArrayList<>();
    created.path("multipart").path("parts").forEach(parts::add);
    if (parts.isEmpty()) {
      throw new IllegalStateException("expected a multipart plan: " + created);
    }
    String[] etags = new String[parts.size()];
    AtomicInteger next = new AtomicInteger();
    long partSize = created.path("multipart").path("partSize").asLong();
    ExecutorService pool = Executors.newFixedThreadPool(inFlight);
    try {
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < inFlight; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < parts.size(); i = next.getAndIncrement()) {
            JsonNode part = parts.get(i);
            long from = (part.path("partNumber").asLong() - 1) * partSize;
            Put put = put(part.path("upload"), content, from, part.path("sizeBytes").asLong());
            if (put.status() != 200 || put.etag() == null) {
              throw new IllegalStateException("part " + part.path("partNumber").asInt() + " answered "
                  + put.status() + ": " + put.body());
            }
            etags[i] = put.etag();
          }
          return null;
        }));
      }
      for (Future<Void> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> done = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      done.add(Map.of("partNumber", i + 1, "etag", etags[i]));
    }
    long completing = System.nanoTime();
    HttpApiResponse completed = complete.apply(request(owner, "POST /uploads/{videoId}/complete",
        "/uploads/" + videoId + "/complete", videoId, JSON.writeValueAsString(Map.of("parts", done))));
    long finished = System.nanoTime();
    String objectEtag = answer(completed, 200).path("etag").asString();
    checkAndDelete(s3, owner, videoId, content.size(), etag, objectEtag);
    return new Upload((finished - started) / 1e9, (finished - completing) / 1e9);
  }

  private static void checkAndDelete(S3Client s3, String owner, String videoId, long size, String expectedEtag,
      String etag) {
    String key = "uploads/" + owner + "/" + videoId + "/source";
    long stored = s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength();
    s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    if (stored != size || !expectedEtag.equals(etag)) {
      throw new IllegalStateException(key + ": stored " + stored + " bytes with ETag " + etag + "; sent " + size
          + " bytes, whose ETag is " + expectedEtag);
    }
  }

  record Put(int status, String etag, String body) {}

  /**
   * A presigned request sent as a creator's client would: its signed headers, the body streamed
   * with a fixed length (the signed content length), keep-alive connections reused.
   */
  private static Put put(JsonNode signed, Content content, long from, long length) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(signed.path("url").asString()).toURL().openConnection();
    c.setRequestMethod(signed.path("method").asString());
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(length);
    signed.path("headers").properties().forEach(h -> {
      if (!h.getKey().equalsIgnoreCase("content-length") && !h.getKey().equalsIgnoreCase("host")) {
        c.setRequestProperty(h.getKey(), h.getValue().asString());
      }
    });
    try (OutputStream out = c.getOutputStream()) {
      content.write(out, from, length);
    }
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Put(status, c.getHeaderField("ETag"), answer);
    }
  }

  /** Payload format 2.0 as the gateway sends it after its JWT authorizer accepted {@code owner}'s token. */
  private static HttpApiRequest request(String owner, String routeKey, String path, String videoId, String body) {
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    return new HttpApiRequest("2.0", routeKey, path, "", Map.of("content-type", "application/json"),
        videoId == null ? null : Map.of("videoId", videoId), null, body, false,
        new HttpApiRequest.RequestContext(UUID.randomUUID().toString(), new HttpApiRequest.Http(method, path),
            new HttpApiRequest.Authorizer(new HttpApiRequest.Jwt(Map.of("sub", owner), List.of()))));
  }

  private static JsonNode created(HttpApiResponse response) {
    return answer(response, 201);
  }

  private static JsonNode answer(HttpApiResponse response, int expected) {
    if (response.statusCode() != expected) {
      throw new IllegalStateException("expected " + expected + ", got " + response.statusCode() + ": "
          + response.body());
    }
    return response.body() == null || response.body().isEmpty() ? JSON.createObjectNode()
        : JSON.readTree(response.body());
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * The file store holds, at worst, the parts of one upload and the object they make, and
   * S3Proxy's temporary copies: three times the object, and a margin for everyone else on the box.
   */
  private static void requireDisk(Path work, long size) throws IOException {
    long usable = Files.getFileStore(work).getUsableSpace();
    long needed = 3 * size + 2048 * MIB;
    if (usable < needed) {
      throw new IllegalStateException(work + " has " + human(usable) + " free; the upload benchmark needs "
          + human(needed) + " (3 × " + human(size) + " and a 2 GiB margin): lower -Dbench.uploadBytes or free space");
    }
  }

  private static StaticCredentialsProvider credentials(S3Emulator s3) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String human(long bytes) {
    if (bytes >= 1024 * MIB && bytes % (1024 * MIB) == 0) {
      return bytes / (1024 * MIB) + " GiB";
    }
    return bytes >= MIB ? String.format(Locale.ROOT, "%.0f MiB", bytes / (double) MIB)
        : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  private static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
