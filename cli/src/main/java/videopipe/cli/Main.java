package videopipe.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import videopipe.cli.commands.Commands;
import videopipe.cli.commands.SignedRequests;
import videopipe.cli.local.LocalStack;
import videopipe.cli.local.StackFile;
import videopipe.localstack.ffmpeg.Ffmpeg;

/**
 * The videopipe command line.
 *
 * <pre>
 *   videopipe local up [--port 4566] [--data DIR] [--api-port N]
 *                                       start the local stack in the foreground, every AWS service
 *                                       on one edge port, S3 and DynamoDB on disk under DIR if given
 *                                       (kept across restarts, with the keys); Ctrl-C stops it
 *   videopipe demo [FILE]               start the stack, upload FILE (or a generated 5 s clip and an English caption sidecar),
 *                                       follow video-ingest to READY, print the record, stop
 *   videopipe local token | upload | videos | executions | redrive
 *                                       against the running stack: see {@link Commands}
 * </pre>
 *
 * <p>The functions jar comes from {@code --functions-jar PATH}, else the system property
 * {@code videopipe.functions.jar} (which the {@code videopipe} launcher sets).
 */
public final class Main {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String DEMO_USER = "demo";
  static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
  /** LocalStack's port, so that tools configured for it find this stack. */
  static final int DEFAULT_EDGE_PORT = 4566;

  private final PrintStream out;
  private final PrintStream err;
  private final Path home;

  Main(PrintStream out, PrintStream err) {
    this(out, err, StackFile.defaultHome());
  }

  /** {@code home}: where {@code local up} writes the stack file the other commands read. */
  public Main(PrintStream out, PrintStream err, Path home) {
    this.out = out;
    this.err = err;
    this.home = home;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.out, System.err).run(args));
  }

  /** The generated clip's sidecar: it has a test pattern and a tone, no speech. */
  static final String DEMO_CAPTIONS = """
      WEBVTT

      00:00:00.000 --> 00:00:02.500
      [a test pattern, with a steady 440 Hz tone]

      00:00:02.500 --> 00:00:05.000
      [no speech in this clip]
      """;

  private static final String USAGE = """
      usage: videopipe local up [--port 4566] [--data DIR] [--api-port N] [--functions-jar PATH]
             videopipe demo [FILE] [--functions-jar PATH]
      """ + Commands.USAGE.replace("usage: ", "       ");

  /** Runs one command; returns the process exit code. */
  public int run(String[] argv) {
    if (Commands.handles(argv)) {
      return new Commands(out, err, home).run(argv);
    }
    List<String> args = new ArrayList<>(List.of(argv));
    Path jar;
    int apiPort;
    int edgePort;
    Path dataDir;
    try {
      jar = functionsJar(option(args, "--functions-jar"));
      apiPort = port(args, "--api-port", 0);
      edgePort = port(args, "--port", DEFAULT_EDGE_PORT);
      String data = option(args, "--data");
      dataDir = data == null ? null : Path.of(data);
    } catch (IllegalArgumentException e) {
      err.println("videopipe: " + e.getMessage());
      return 2;
    }
    try {
      if (args.size() == 2 && args.get(0).equals("local") && args.get(1).equals("up")) {
        return localUp(LocalStack.Options.of(jar).withGatewayPort(apiPort).withEdgePort(edgePort).withDataDir(dataDir));
      }
      if (!args.isEmpty() && args.get(0).equals("demo") && args.size() <= 2) {
        return demo(LocalStack.Options.of(jar), args.size() == 2 ? Path.of(args.get(1)) : null);
      }
    } catch (Exception e) {
      err.println("videopipe: " + e);
      return 1;
    }
    err.println(USAGE);
    return 2;
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) {
      return null;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = args.get(i + 1);
    args.subList(i, i + 2).clear();
    return value;
  }

  /** The option's port, 0 meaning any free one; {@code fallback} when absent. */
  private static int port(List<String> args, String name, int fallback) {
    String value = option(args, name);
    if (value == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + " takes a port from 0 (any free one) to 65535, not " + value);
  }

  private static Path functionsJar(String option) {
    String path = option != null ? option : System.getProperty("videopipe.functions.jar");
    if (path == null) {
      throw new IllegalArgumentException("no functions jar: pass --functions-jar PATH (functions/target/functions-*-aws.jar)");
    }
    Path jar = Path.of(path);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no functions jar at " + jar + " (build it: ./mvnw -pl functions package -DskipTests)");
    }
    return jar;
  }

  private int localUp(LocalStack.Options options) throws Exception {
    try {
      StackFile running = StackFile.running(home);
      err.println("videopipe: a local stack is already running (" + running.apiEndpoint() + ", stack file "
          + running.path() + "): stop it first");
      return 1;
    } catch (StackFile.NotRunning expected) {
      // the usual case: no stack file, or a stale one, which this stack's replaces
    }
    LocalStack stack = LocalStack.start(options);
    StackFile.Published published;
    try {
      published = StackFile.publish(stack, home);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("stopping the local stack");
      try {
        published.close();
      } finally {
        try {
          stack.close();
        } finally {
          stopped.countDown();
        }
      }
    }, "videopipe-local-stop"));
    printStack(stack);
    for (String problem : stack.dataDirProblems()) {
      err.println("videopipe: data directory: " + problem);
    }
    out.println("stack file (for ./videopipe local token, upload, videos, executions, redrive): " + published.file());
    out.println("token (user dev, 12 h):");
    out.println("  " + stack.mintToken("dev", Duration.ofHours(12)));
    out.println("local stack up; Ctrl-C stops it");
    out.flush();
    stopped.await();
    return 0;
  }

  private void printStack(LocalStack stack) {
    out.println("local stack \"" + stack.stackName() + "\"");
    out.println("  AWS services   " + stack.edgeEndpoint() + "  (S3, DynamoDB, Step Functions, EventBridge, Lambda, MediaConvert)");
    out.println("  HTTP API       " + stack.apiEndpoint());
    out.println("  data           " + (stack.dataDir() == null ? "in memory" : stack.dataDir().toAbsolutePath() + " (S3, DynamoDB, Step Functions, EventBridge's dead letters and retries, MediaConvert's jobs, Lambda's queued retries, the keys)"));
    out.println("  bucket         " + stack.bucket());
    out.println("  catalog table  " + stack.tableName());
    out.println("  event bus      " + stack.busName());
    out.println("  video-ingest   " + stack.stateMachineArn());
    out.println("  functions      " + String.join(", ", stack.lambda().functionNames()));
    out.println("export:");
    stack.environment().forEach((k, v) -> out.println("  export " + k + "=" + v));
  }

  private int demo(LocalStack.Options options, Path file) throws Exception {
    long t0 = System.nanoTime();
    byte[] bytes;
    String fileName;
    String captions = null;
    if (file == null) {
      out.println("generating a 5 s clip with the bundled ffmpeg, and an English caption sidecar");
      captions = DEMO_CAPTIONS;
      Path dir = Files.createTempDirectory("videopipe-demo");
      try {
        bytes = Files.readAllBytes(generateClip(dir));
      } finally {
        try (var files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      fileName = "demo.mp4";
    } else {
      bytes = Files.readAllBytes(file);
      fileName = file.getFileName().toString();
    }
    // The functions log to System.out and System.err, as on Lambda (where CloudWatch collects it):
    // to a file here, so that the progress lines stay readable. This command's own lines go to `out`.
    Path log = Files.createTempFile("videopipe-demo-", ".log");
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try (PrintStream functions = new PrintStream(Files.newOutputStream(log), true, java.nio.charset.StandardCharsets.UTF_8)) {
      System.setOut(functions);
      System.setErr(functions);
      out.println("starting the local stack (function and service logs: " + log + ")");
      try (LocalStack stack = LocalStack.start(options)) {
        out.printf("stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        printStack(stack);
        return demoOn(stack, fileName, bytes, captions);
      } finally {
        out.println("local stack stopped");
      }
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  /** Uploads through the API, follows video-ingest state by state, prints the record: 0 when READY. */
  int demoOn(LocalStack stack, String fileName, byte[] bytes) throws Exception {
    return demoOn(stack, fileName, bytes, null);
  }

  /** As {@link #demoOn(LocalStack, String, byte[])}, with an English WebVTT sidecar ({@code captions}, none if null). */
  int demoOn(LocalStack stack, String fileName, byte[] bytes, String captions) throws Exception {
    String token = stack.mintToken(DEMO_USER, Duration.ofMinutes(30));
    Map<String, Object> request = new java.util.LinkedHashMap<>(Map.of(
        "fileName", fileName, "contentType", contentType(fileName), "sizeBytes", bytes.length));
    byte[] vtt = captions == null ? null : captions.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (vtt != null) {
      request.put("captions", List.of(Map.of("lang", "en", "fileName", "en.vtt", "sizeBytes", vtt.length)));
    }
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/uploads"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(LocalStack.JSON.writeValueAsString(request)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      err.println("POST /uploads answered " + created.statusCode() + ": " + created.body());
      return 1;
    }
    JsonNode reply = LocalStack.JSON.readTree(created.body());
    String videoId = reply.path("videoId").asString();
    out.println("POST /uploads -> 201, video " + videoId);
    if (vtt != null) {
      // The sidecar first: attachCaptions reads it once the source's upload started the pipeline.
      HttpResponse<String> caption = send(reply.path("captions").path(0).path("upload"), vtt);
      if (caption.statusCode() != 200) {
        err.println("PUT of the caption to its presigned URL answered " + caption.statusCode() + ": " + caption.body());
        return 1;
      }
      out.println("PUT " + vtt.length + " bytes -> the en.vtt caption sidecar");
    }
    HttpResponse<String> stored = send(reply.path("upload"), bytes);
    if (stored.statusCode() != 200) {
      err.println("PUT to the presigned URL answered " + stored.statusCode() + ": " + stored.body());
      return 1;
    }
    String key = "uploads/" + DEMO_USER + "/" + videoId + "/source";
    out.println("PUT " + bytes.length + " bytes -> s3://" + stack.bucket() + "/" + key);
    // The PUT itself starts the pipeline: S3's Object Created event, the upload rule, video-ingest.
    String execution = stack.executionFor(key).get(30, TimeUnit.SECONDS);
    out.println("video-ingest started: " + execution);
    ExecutionStatus status = follow(stack, execution);

    HttpResponse<String> video = HTTP.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/videos/" + videoId))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    out.println("GET /videos/" + videoId + " -> " + video.statusCode());
    String videoStatus = "";
    JsonNode record = LocalStack.JSON.missingNode();
    if (video.statusCode() == 200) {
      record = LocalStack.JSON.readTree(video.body());
      out.println(LocalStack.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record));
      videoStatus = record.path("status").asString();
    } else {
      out.println(video.body());
    }
    printOutputs(stack, videoId, record.path("media"));
    boolean ready = status == ExecutionStatus.SUCCEEDED && videoStatus.equals("READY");
    out.println(ready ? "READY" : "NOT READY (execution " + status + ", video status " + videoStatus + ")");
    return ready ? 0 : 1;
  }

  /** Sends {@code body} as the API's presigned request {@code signed} ({url, method, headers}) says. */
  private static HttpResponse<String> send(JsonNode signed, byte[] body) throws java.io.IOException, InterruptedException {
    return HTTP.send(SignedRequests.of(signed, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Prints a line per state entered until the execution stops; returns its final status. */
  private ExecutionStatus follow(LocalStack stack, String execution) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + DEMO_TIMEOUT.toNanos();
    int seen = 0;
    DescribeExecutionResponse d;
    while (true) {
      d = stack.sfnClient().describeExecution(b -> b.executionArn(execution));
      List<HistoryEvent> events = new ArrayList<>();
      stack.sfnClient().getExecutionHistoryPaginator(b -> b.executionArn(execution).maxResults(1000))
          .events().forEach(events::add);
      for (; seen < events.size(); seen++) {
        HistoryEvent e = events.get(seen);
        StateEnteredEventDetails entered = e.stateEnteredEventDetails();
        if (entered != null) {
          out.printf("  [%6.1f s] %-22s %s%n", (System.nanoTime() - start) / 1e9, entered.name(),
              e.typeAsString().replace("StateEntered", ""));
        }
      }
      if (d.status() != ExecutionStatus.RUNNING) {
        break;
      }
      if (System.nanoTime() > deadline) {
        out.println("still RUNNING after " + DEMO_TIMEOUT.toMinutes() + " min: giving up");
        return d.status();
      }
      Thread.sleep(200);
    }
    out.printf("video-ingest %s in %.1f s%n", d.status(), (System.nanoTime() - start) / 1e9);
    if (d.status() != ExecutionStatus.SUCCEEDED) {
      out.println("  error: " + d.error() + ": " + d.cause());
    }
    return d.status();
  }

  /** The keys the record's presigned URLs point at, and how many objects the pipeline wrote for the video. */
  private void printOutputs(LocalStack stack, String videoId, JsonNode media) {
    out.println("outputs in s3://" + stack.bucket() + ":");
    for (String[] output : new String[][] {{"playlist", "playlistUrl"}, {"mp4", "mp4Url"}, {"thumbnail", "thumbnailUrl"}}) {
      String url = media.path(output[1]).asString("");
      String key = url.isEmpty() ? "(none)" : URI.create(url).getPath().replaceFirst("^/" + stack.bucket() + "/", "");
      out.printf("  %-10s %s%n", output[0], key);
    }
    for (JsonNode caption : media.path("captions")) {
      String url = caption.path("url").asString("");
      out.printf("  %-10s %s%n", "captions", (url.isEmpty() ? "(none)"
          : URI.create(url).getPath().replaceFirst("^/" + stack.bucket() + "/", "")) + " (" + caption.path("lang").asString() + ")");
    }
    long objects = 0;
    for (var o : stack.s3Client().listObjectsV2Paginator(b -> b.bucket(stack.bucket())).contents()) {
      if (o.key().contains(videoId)) {
        objects++;
      }
    }
    out.println("  (" + objects + " objects for " + videoId + ", upload included)");
  }

  private static String contentType(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".mov")) {
      return "video/quicktime";
    }
    if (name.endsWith(".mkv")) {
      return "video/x-matroska";
    }
    if (name.endsWith(".webm")) {
      return "video/webm";
    }
    return "video/mp4";
  }

  /** A 5 s 640x360 H.264 + AAC fast-start MP4 (test pattern and a tone), made with the bundled ffmpeg. */
  static Path generateClip(Path dir) throws Exception {
    Path out = dir.resolve("demo.mp4");
    Ffmpeg.get().run(List.of("-hide_banner", "-loglevel", "error", "-y", "-threads", "2",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5",
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-movflags", "+faststart", out.toString()), 120, java.util.concurrent.TimeUnit.SECONDS);
    return out;
  }
}
