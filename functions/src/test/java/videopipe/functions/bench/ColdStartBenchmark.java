package videopipe.functions.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.events.ObjectCreated;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.s3.S3Emulator;

/**
 * Cold start of {@code validateUpload} through Spring Cloud Function's {@code FunctionInvoker},
 * against {@link PlainValidateHandler} doing the same work without Spring, side by side in one run.
 *
 * <p>Each measurement is a fresh JVM ({@link ColdStartChild}) that builds its handler and answers
 * one real event: a fresh catalog item and a real 1 s MP4 in the local S3, so that every response
 * is an {@code ACCEPTED} that claimed the item, HEADed the object and read its first bytes (any
 * other answer fails the run: a benchmark of an error path measures nothing). The figure is the
 * wall time from {@code ProcessBuilder.start()} to the response line, as a Lambda's init plus
 * first invoke; the child's own JVM-start-to-response is printed beside it.
 *
 * <p>Both variants run the same java, the same classpath (the shaded Lambda jar and a small jar of
 * the bench classes, so that AppCDS, which archives only classes from jars, treats them alike) and
 * the same environment, with the JVM options of each configuration. Rounds alternate variants and
 * configurations, so that whatever else the shared machine does spreads over all of them; one
 * warm-up round first fills the OS page cache (it does not warm any JVM: every run is a new one).
 *
 * <p>Run it with the command in the README ({@code -Pbench}); system properties {@code
 * coldstart.rounds} (default 7) and {@code coldstart.configs} (comma-separated names) trim a run.
 * Results go to stdout and to {@code target/coldstart/results.md}.
 */
public final class ColdStartBenchmark {

  private static final String BUCKET = "videopipe-bench";
  private static final String TABLE = "videopipe-bench-catalog";
  private static final String OWNER = "8f14e45f-ceea-467f-a0e6-5b2c7d4a1c01";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** For looking inside the children, e.g. {@code -Xlog:class+load:file=/tmp/cl-%p.log}; not for figures. */
  private static final List<String> EXTRA_OPTIONS = Arrays.stream(System.getProperty("coldstart.jvmOptions", "").split(" "))
      .filter(s -> !s.isBlank()).toList();

  enum Variant {
    PLAIN("plain"), SCF("scf");

    final String arg;

    Variant(String arg) {
      this.arg = arg;
    }
  }

  /**
   * One set of JVM options (and environment) under which both variants run.
   *
   * @param cds whether each variant gets its own AppCDS archive, dumped by a training run under
   *     the same options ({@code -XX:ArchiveClassesAtExit}) before the measured rounds
   */
  record Config(String name, String what, List<String> jvmOptions, Map<String, String> env, boolean cds) {}

  /** What Lambda can be told with JAVA_TOOL_OPTIONS (and, for AppCDS, an archive in the package). */
  static final List<Config> CONFIGS = List.of(
      new Config("as-is", "no JVM options", List.of(), Map.of(), false),
      new Config("c1", "-XX:TieredStopAtLevel=1", List.of("-XX:TieredStopAtLevel=1"), Map.of(), false),
      new Config("appcds", "AppCDS archive, no other option", List.of(), Map.of(), true),
      new Config("c1-appcds", "-XX:TieredStopAtLevel=1 + AppCDS archive",
          List.of("-XX:TieredStopAtLevel=1"), Map.of(), true),
      // What Lambda picks by itself below 2 vCPUs (up to 1769 MB), where the JVM sees one CPU.
      new Config("c1-serial-appcds", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC + AppCDS archive",
          List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of(), true),
      // Ignored by the plain handler; the archive is trained with it, like the rest of the options.
      new Config("c1-appcds-lazy", "-XX:TieredStopAtLevel=1 + AppCDS + spring.main.lazy-initialization=true",
          List.of("-XX:TieredStopAtLevel=1", "-Dspring.main.lazy-initialization=true"), Map.of(), true));

  /**
   * One cold start: wall time from spawn to response, and the child's own account of it: JVM
   * start to main, main to handler built (Lambda's init phase), the first invoke.
   */
  record Sample(double wallMillis, long jvmToMain, long init, long invoke) {
    long jvmMillis() {
      return jvmToMain + init + invoke;
    }
  }

  private final Path target;
  private final Path work;
  private final String java;
  private final String classpath;
  private final Map<String, String> childEnv;
  private final S3Client s3;
  private final Catalog catalog;
  private final byte[] clip;
  private int runs;

  private ColdStartBenchmark(Path target, Path work, String classpath, Map<String, String> childEnv, S3Client s3,
      Catalog catalog, byte[] clip) {
    this.target = target;
    this.work = work;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classpath = classpath;
    this.childEnv = childEnv;
    this.s3 = s3;
    this.catalog = catalog;
    this.clip = clip;
  }

  public static void main(String[] args) throws Exception {
    // The emulators log every request at INFO; only the table matters here.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path target = Path.of(System.getProperty("coldstart.target", "functions/target")).toAbsolutePath().normalize();
    int rounds = Integer.getInteger("coldstart.rounds", 7);
    List<Config> configs = selected(System.getProperty("coldstart.configs"));
    Path work = Files.createDirectories(target.resolve("coldstart"));
    try (Stream<Path> old = Files.list(work)) {
      for (Path p : old.filter(p -> !Files.isDirectory(p)).toList()) {
        Files.delete(p);
      }
    }
    Path awsJar = awsJar(target);
    Path benchJar = benchJar(target.resolve("test-classes"), work.resolve("coldstart-bench.jar"));
    // The Lambda jar first: FunctionInvoker finds the application class in the first manifest naming one.
    String classpath = awsJar + File.pathSeparator + benchJar;
    byte[] clip = clip(work.resolve("clip.mp4"));

    try (S3Emulator s3Emulator = S3Emulator.start(S3Emulator.Options.inMemory());
        DynamoEmulator dynamoEmulator = DynamoEmulator.start(DynamoEmulator.Options.inMemory())) {
      StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s3Emulator.accessKey(), s3Emulator.secretKey()));
      S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
          .endpointOverride(s3Emulator.endpoint()).forcePathStyle(true)
          .region(Region.US_EAST_1).credentialsProvider(credentials).build();
      DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
          .endpointOverride(dynamoEmulator.endpoint())
          .region(Region.US_EAST_1).credentialsProvider(credentials).build();
      s3.createBucket(b -> b.bucket(BUCKET));
      CatalogTable.create(dynamo, TABLE);

      Map<String, String> env = new LinkedHashMap<>();
      env.put("SPRING_CLOUD_FUNCTION_DEFINITION", "validateUpload");
      env.put("CATALOG_TABLE", TABLE);
      env.put("EVENT_BUS_NAME", "videopipe-bench");
      env.put("S3_FORCE_PATH_STYLE", "true");
      env.put("AWS_ENDPOINT_URL_S3", s3Emulator.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEmulator.endpoint().toString());
      env.put("AWS_ACCESS_KEY_ID", s3Emulator.accessKey());
      env.put("AWS_SECRET_ACCESS_KEY", s3Emulator.secretKey());
      env.put("AWS_REGION", "us-east-1");

      ColdStartBenchmark bench = new ColdStartBenchmark(target, work, classpath, env, s3,
          new Catalog(dynamo, TABLE, Clock.systemUTC()), clip);
      String report = bench.measure(configs, rounds);
      System.out.println(report);
      Files.writeString(work.resolve("results.md"), report);
      s3.close();
      dynamo.close();
    }
  }

  private String measure(List<Config> configs, int rounds) {
    long began = System.nanoTime();
    Map<String, Path> archives = new LinkedHashMap<>();
    for (Config config : configs) {
      if (config.cds()) {
        for (Variant variant : Variant.values()) {
          Path archive = work.resolve(config.name() + "-" + variant.arg + ".jsa");
          List<String> options = new ArrayList<>(config.jvmOptions());
          options.add("-XX:ArchiveClassesAtExit=" + archive);
          run(config, variant, options);
          if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run of " + config.name() + "/" + variant.arg
                + " wrote no CDS archive " + archive + "; see " + work.resolve("logs"));
          }
          archives.put(config.name() + "/" + variant.arg, archive);
        }
      }
    }
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) {
      for (Config config : configs) {
        // Alternate which variant goes first, so that neither always follows the other.
        List<Variant> order = round % 2 == 0 ? List.of(Variant.PLAIN, Variant.SCF) : List.of(Variant.SCF, Variant.PLAIN);
        for (Variant variant : order) {
          List<String> options = new ArrayList<>(config.jvmOptions());
          if (config.cds()) {
            options.add("-XX:SharedArchiveFile=" + archives.get(config.name() + "/" + variant.arg));
          }
          Sample sample = run(config, variant, options);
          if (round > 0) { // round 0 warms the page cache
            samples.computeIfAbsent(config.name() + "/" + variant.arg, k -> new ArrayList<>()).add(sample);
          }
        }
      }
      System.err.printf(Locale.ROOT, "coldstart: round %d/%d done%n", round, rounds);
    }
    return report(configs, rounds, samples, (System.nanoTime() - began) / 1e9);
  }

  /** Spawns one child on a fresh upload and returns its timings; fails unless it ACCEPTED. */
  private Sample run(Config config, Variant variant, List<String> jvmOptions) {
    int n = ++runs;
    Path input = work.resolve("input-" + n + ".json");
    Path log = work.resolve("logs").resolve(n + "-" + config.name() + "-" + variant.arg + ".log");
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(input, lambdaInput(upload()));
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmOptions);
      command.addAll(EXTRA_OPTIONS);
      command.addAll(List.of("-cp", classpath, ColdStartChild.class.getName(), variant.arg, input.toString()));
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SPRING_") || k.equals("JAVA_TOOL_OPTIONS")
          || k.equals("MAIN_CLASS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
      env.putAll(childEnv);
      env.putAll(config.env());

      long start = System.nanoTime();
      Process process = pb.start();
      String response = null;
      double wall = -1;
      long[] phases = null;
      List<String> output = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (response == null && line.startsWith(ColdStartChild.RESPONSE)) {
            wall = (System.nanoTime() - start) / 1e6;
            response = line.substring(ColdStartChild.RESPONSE.length());
          } else if (line.startsWith(ColdStartChild.PHASES)) {
            phases = Arrays.stream(line.substring(ColdStartChild.PHASES.length()).trim().split(" "))
                .mapToLong(Long::parseLong).toArray();
          } else {
            output.add(line);
          }
        }
      }
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("run " + n + " did not exit; see " + log);
      }
      Files.write(log, output, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      if (process.exitValue() != 0 || response == null || !response.contains("\"outcome\":\"ACCEPTED\"")
          || phases == null) {
        throw new IllegalStateException("run " + n + " (" + config.name() + "/" + variant.arg + ", " + command
            + ") exited " + process.exitValue() + " with response " + response + "; its output is in " + log);
      }
      Files.delete(input);
      return new Sample(wall, phases[0], phases[1], phases[2]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A fresh catalog item and its uploaded source, as createUpload and the creator's PUT leave them. */
  private Upload upload() {
    String videoId = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    catalog.create(new NewVideo(videoId, OWNER, "clip.mp4", "video/mp4", clip.length));
    String key = "uploads/" + OWNER + "/" + videoId + "/source";
    String etag = s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("video/mp4"), RequestBody.fromBytes(clip)).eTag();
    return new Upload(key, etag.replace("\"", ""), clip.length);
  }

  record Upload(String key, String etag, long size) {}

  /** What Step Functions passes the Validate state: the EventBridge event and the execution's ARN. */
  static String lambdaInput(Upload upload) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", ObjectCreated.DETAIL_TYPE);
    event.put("source", ObjectCreated.SOURCE);
    event.put("account", "000000000000");
    event.put("time", Instant.now().toString());
    event.put("region", "us-east-1");
    event.putArray("resources").add("arn:aws:s3:::" + BUCKET);
    ObjectNode detail = event.putObject("detail");
    detail.put("version", "0");
    detail.putObject("bucket").put("name", BUCKET);
    ObjectNode object = detail.putObject("object");
    // S3 form-encodes keys in its events (a space as '+'); slashes stay as they are.
    object.put("key", Arrays.stream(upload.key().split("/"))
        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)).collect(Collectors.joining("/")));
    object.put("size", upload.size());
    object.put("etag", upload.etag());
    object.put("sequencer", String.format(Locale.ROOT, "%018X", System.nanoTime()));
    detail.put("request-id", "BENCH" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT));
    detail.put("requester", "000000000000");
    detail.put("source-ip-address", "127.0.0.1");
    detail.put("reason", "PutObject");
    ObjectNode input = JSON.createObjectNode();
    input.set("event", event);
    input.put("executionArn", "arn:aws:states:us-east-1:000000000000:execution:video-ingest:" + UUID.randomUUID());
    return JSON.writeValueAsString(input);
  }

  private String report(List<Config> configs, int rounds, Map<String, List<Sample>> samples, double seconds) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "## Cold start: validateUpload, fresh JVM to first response (%d rounds, %s %s, %d cores)%n%n",
        rounds, System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    b.append("Wall time from `ProcessBuilder.start()` to the response line, in ms (the child's own JVM start to response in brackets).\n");
    b.append("`vs plain` divides by the plain handler under the same options; `vs plain as-is` by the plain handler with no options.\n\n");
    b.append("| configuration | plain median | plain min | SCF median | SCF min | SCF vs plain | SCF vs plain as-is |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|\n");
    double plainAsIs = samples.containsKey("as-is/plain") ? median(samples.get("as-is/plain")) : Double.NaN;
    for (Config config : configs) {
      List<Sample> plain = samples.get(config.name() + "/plain");
      List<Sample> scf = samples.get(config.name() + "/scf");
      b.append(String.format(Locale.ROOT, "| %s: %s | %s | %.0f | %s | %.0f | **%.2f×** | %.2f× |%n",
          config.name(), config.what(),
          ms(plain), min(plain), ms(scf), min(scf),
          median(scf) / median(plain), median(scf) / plainAsIs));
    }
    b.append("\nWhere the time goes, medians in ms, as the child sees it: JVM start to `main` / building the handler"
        + " (Lambda's init phase: for SCF, the application context and the selected bean) / the first invoke.\n\n");
    b.append("| configuration | plain | SCF |\n|---|---:|---:|\n");
    for (Config config : configs) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", config.name(),
          phases(samples.get(config.name() + "/plain")), phases(samples.get(config.name() + "/scf"))));
    }
    b.append(String.format(Locale.ROOT, "%n%d runs in %.0f s; logs in %s%n", runs, seconds, target.relativize(work.resolve("logs"))));
    return b.toString();
  }

  private static String ms(List<Sample> s) {
    return String.format(Locale.ROOT, "%.0f (%d)", median(s), medianOf(s, Sample::jvmMillis));
  }

  private static String phases(List<Sample> s) {
    return medianOf(s, Sample::jvmToMain) + " / " + medianOf(s, Sample::init) + " / " + medianOf(s, Sample::invoke);
  }

  private static long medianOf(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
    long[] v = s.stream().mapToLong(f).sorted().toArray();
    return v[(v.length - 1) / 2];
  }

  private static double median(List<Sample> s) {
    double[] v = s.stream().mapToDouble(Sample::wallMillis).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double min(List<Sample> s) {
    return s.stream().mapToDouble(Sample::wallMillis).min().orElse(Double.NaN);
  }

  private static List<Config> selected(String names) {
    if (names == null || names.isBlank()) {
      return CONFIGS;
    }
    List<String> wanted = Arrays.stream(names.split(",")).map(String::trim).toList();
    List<Config> chosen = CONFIGS.stream().filter(c -> wanted.contains(c.name())).toList();
    if (chosen.size() != wanted.size()) {
      throw new IllegalArgumentException("coldstart.configs names " + wanted + "; known: "
          + CONFIGS.stream().map(Config::name).toList());
    }
    return chosen;
  }

  private static Path awsJar(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-aws.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no *-aws.jar in " + target
              + ": build the Lambda jar first (the bench profile runs after package)"));
    }
  }

  /**
   * The bench classes in a jar of their own: CDS archives classes from jars only, and the plain
   * handler must not lose that advantage to a directory on its classpath; with the tests' Lambda
   * {@code Context}, which both variants get. No manifest, so that
   * FunctionInvoker's search for the application class only finds the Lambda jar's.
   */
  private static Path benchJar(Path testClasses, Path jar) throws IOException {
    Path root = testClasses.resolve("videopipe/functions/bench");
    Path testing = testClasses.resolve("videopipe/functions/testing");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> bench = Files.list(root);
        Stream<Path> context = Files.list(testing)) {
      List<Path> classes = Stream.concat(
              bench.filter(p -> p.toString().endsWith(".class")),
              context.filter(p -> p.getFileName().toString().startsWith("LambdaContext")))
          .sorted().toList();
      for (Path c : classes) {
        out.putNextEntry(new JarEntry(testClasses.relativize(c).toString().replace('\\', '/')));
        Files.copy(c, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** A real 1 s, 160x90 H.264 MP4, made by the bundled ffmpeg. */
  private static byte[] clip(Path file) throws IOException {
    Ffmpeg.get().run(List.of("-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc=duration=1:size=160x90:rate=25",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
        file.toString()), 60, TimeUnit.SECONDS);
    return Files.readAllBytes(file);
  }
}
