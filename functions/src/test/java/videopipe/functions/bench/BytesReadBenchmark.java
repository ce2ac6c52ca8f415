package videopipe.functions.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.functions.Settings;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.extract.ExtractMetadata;
import videopipe.functions.extract.ExtractRequest;
import videopipe.functions.extract.Extraction;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.testing.CountingProxy;
import videopipe.functions.testing.CountingProxy.Tally;
import videopipe.functions.testing.FfprobeReport;
import videopipe.functions.testing.Uploads;
import videopipe.functions.validate.ContainerDetector;
import videopipe.functions.validate.ValidateRequest;
import videopipe.functions.validate.ValidateUpload;
import videopipe.functions.validate.Validation;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.s3.S3Emulator;

/**
 * The design's "Probe" number: bytes fetched from S3 to validate and probe one upload, at most
 * {@value #BUDGET} bytes whatever the file's size or duration, in bounded ranges only. Side by side
 * with ffprobe reading the same objects over presigned URLs, the baseline of the same run.
 *
 * <p>Six real MP4s, each fast-start and moov-at-end, made here with the bundled ffmpeg: a 10 s 720p
 * clip; a 100 MiB one (lossless noise, so it is big in few seconds); an 81-minute one (a minute
 * stream-copied 81 times, which is quick), whose moov holds about 5 MB of sample tables. Each is
 * uploaded to S3Proxy, then run through the real {@link ValidateUpload} and {@link ExtractMetadata},
 * wired as the functions wire them, with an S3 client whose connections go through a
 * {@link CountingProxy}: every byte S3Proxy sends is counted, HTTP headers and HEADs included, and
 * every request's Range is checked. ffprobe goes through a proxy of its own, which shows what its
 * open-ended ranges really cost: the server keeps sending until ffprobe hangs up.
 *
 * <p>Prints a markdown table for the README and fails (an exception out of {@code main}, so a
 * non-zero exit) when a case reads over the budget, sends an open-ended or unframeable request,
 * is not accepted and described, or disagrees with ffprobe on duration or picture size. There is
 * no timing in it. Run from the repository's root:
 *
 * <pre>
 * ./mvnw -q -pl functions test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=videopipe.functions.bench.BytesReadBenchmark
 * </pre>
 */
public final class BytesReadBenchmark {

  static final long BUDGET = 512 * 1024;

  /**
   * ffprobe runs per object. What the server sends on an open-ended range depends on how much the
   * TCP buffers took before ffprobe hung up, which varies from run to run: the table shows medians,
   * the details every run.
   */
  static final int FFPROBE_RUNS = 3;

  private static final String OWNER = "bench-owner";
  private static final String BUCKET = "bytes-read-bench";
  private static final String TABLE = "bytes-read-bench-catalog";
  private static final Pattern AVIO_STATISTICS = Pattern.compile("Statistics: (\\d+) bytes read");

  private BytesReadBenchmark() {}

  /** One object to read: a name for the table and its file. */
  record Case(String name, Path file) {}

  /** What ffprobe cost on one object: the proxy's view and its own. */
  record FfprobeRun(Tally tally, Map<Integer, Long> bytesByConnection, long consumed, FfprobeReport report) {}

  record Result(Case source, long size, long moov, Tally validate, Tally extract, VideoMetadata metadata,
      List<FfprobeRun> ffprobe) {

    long ffprobeSent() {
      return median(ffprobe.stream().mapToLong(f -> f.tally().bytesFromServer()).toArray());
    }

    /** ffprobe's own count of the bytes it read, or -1 when it did not print its statistics. */
    long ffprobeRead() {
      return ffprobe.stream().anyMatch(f -> f.consumed() < 0) ? -1
          : median(ffprobe.stream().mapToLong(FfprobeRun::consumed).toArray());
    }

    int ffprobeRequests() {
      return (int) median(ffprobe.stream().mapToLong(f -> f.tally().requests().size()).toArray());
    }

    Tally ours() {
      return new Tally(validate.bytesFromServer() + extract.bytesFromServer(),
          validate.bytesToClient() + extract.bytesToClient(),
          Stream.concat(validate.requests().stream(), extract.requests().stream()).toList());
    }
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("videopipe-bytes-read");
    try {
      long started = System.nanoTime();
      List<Case> cases = Sources.make(work.resolve("sources"));
      System.out.printf(Locale.ROOT, "made %d sources in %.1f s%n", cases.size(), seconds(started));
      List<Result> results = run(cases, work.resolve("s3"));
      System.out.println();
      System.out.print(table(results));
      System.out.println();
      System.out.print(details(results));
      List<String> failures = failures(results);
      System.out.println();
      if (!failures.isEmpty()) {
        failures.forEach(f -> System.out.println("FAIL " + f));
        throw new IllegalStateException(failures.size() + " problem(s) with the read budget; see the FAIL lines above");
      }
      System.out.printf(Locale.ROOT, "every case within %d KiB, bounded ranges only (%.1f s in all)%n",
          BUDGET / 1024, seconds(started));
    } finally {
      delete(work);
    }
  }

  private static List<Result> run(List<Case> cases, Path s3Data) throws Exception {
    List<Result> results = new ArrayList<>();
    // On disk: the six objects weigh about 450 MB, and need not sit in the heap.
    try (S3Emulator s3 = S3Emulator.start(S3Emulator.Options.onDisk(s3Data));
         DynamoEmulator dynamo = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
         CountingProxy counted = CountingProxy.start(s3.endpoint());
         S3Client direct = s3Client(s3, s3.endpoint());
         S3Client throughProxy = s3Client(s3, counted.endpoint());
         DynamoDbClient dynamoDb = DynamoDbClient.builder()
             .endpointOverride(dynamo.endpoint())
             .region(Region.of(s3.region()))
             .credentialsProvider(credentials(s3))
             .httpClient(UrlConnectionHttpClient.create())
             .build()) {
      direct.createBucket(b -> b.bucket(BUCKET));
      CatalogTable.create(dynamoDb, TABLE);
      Catalog catalog = new Catalog(dynamoDb, TABLE, Clock.systemUTC());
      Uploads uploads = new Uploads(direct, catalog, BUCKET);
      // As FunctionsApplication wires them, with the defaults of Settings.
      SourceStore store = new SourceStore(throughProxy);
      ValidateUpload validate = new ValidateUpload(catalog, store, new ContainerDetector(),
          Settings.DEFAULT_MAX_UPLOAD_BYTES, EnumSet.allOf(Container.class));
      ExtractMetadata extract = new ExtractMetadata(catalog, store, new VideoProbe(),
          Settings.DEFAULT_MAX_DURATION_SECONDS);

      for (Case c : cases) {
        EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, c.file());
        String execution = Uploads.executionArn();
        Tally before = counted.tally();
        Validation validation = validate.apply(new ValidateRequest(event, execution));
        Tally afterValidate = counted.tally();
        if (!(validation instanceof Validation.Accepted accepted)) {
          throw new IllegalStateException(c.name() + ": validateUpload did not accept it: " + validation);
        }
        Extraction extraction = extract.apply(new ExtractRequest(accepted.videoId(), accepted.ownerId(),
            accepted.bucket(), accepted.key(), accepted.container(), accepted.bytes(), accepted.etag(), execution));
        Tally afterExtract = counted.tally();
        if (!(extraction instanceof Extraction.Extracted extracted)) {
          throw new IllegalStateException(c.name() + ": extractMetadata did not describe it: " + extraction);
        }
        List<FfprobeRun> ffprobe = new ArrayList<>();
        for (int i = 0; i < FFPROBE_RUNS; i++) {
          ffprobe.add(ffprobe(s3, accepted.key()));
        }
        Result result = new Result(c, Files.size(c.file()), moovSize(c.file()), afterValidate.since(before),
            afterExtract.since(afterValidate), extracted.metadata(), ffprobe);
        results.add(result);
        System.out.printf(Locale.ROOT, "%-24s ours %9s, ffprobe's server sent %9s (median of %d)%n", c.name(),
            human(result.ours().bytesFromServer()), human(result.ffprobeSent()), FFPROBE_RUNS);
      }
    }
    return results;
  }

  /**
   * ffprobe on a presigned GET URL, through a proxy of its own, so that its count is final once
   * ffprobe has exited and every connection has wound down. {@code -v verbose} makes it print
   * its I/O statistics: the bytes it actually consumed.
   */
  private static FfprobeRun ffprobe(S3Emulator s3, String key) throws Exception {
    try (CountingProxy proxy = CountingProxy.start(s3.endpoint());
         S3Presigner presigner = S3Presigner.builder()
             .endpointOverride(proxy.endpoint())
             .region(Region.of(s3.region()))
             .credentialsProvider(credentials(s3))
             .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
             .build()) {
      String url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
          .getObjectRequest(g -> g.bucket(BUCKET).key(key))).url().toString();
      Path err = Files.createTempFile("ffprobe", ".err");
      try {
        ProcessBuilder pb = Ffmpeg.get().ffprobe(List.of("-v", "verbose", "-show_format", "-show_streams",
            "-of", "json", url));
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("ffprobe did not finish within 120 s on " + key);
        }
        String log = Files.readString(err, StandardCharsets.ISO_8859_1);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("ffprobe exited " + p.exitValue() + " on " + key + ":\n" + tail(log));
        }
        proxy.awaitIdle(Duration.ofSeconds(30));
        Tally tally = proxy.tally();
        Map<Integer, Long> byConnection = new LinkedHashMap<>();
        tally.requests().forEach(r -> byConnection.put(r.connection(), proxy.bytesFromServer(r.connection())));
        Matcher m = AVIO_STATISTICS.matcher(log);
        long consumed = m.find() ? Long.parseLong(m.group(1)) : -1;
        return new FfprobeRun(tally, byConnection, consumed, FfprobeReport.parse(out));
      } finally {
        Files.deleteIfExists(err);
      }
    }
  }

  // ---------------------------------------------------------------- report

  static String table(List<Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("| case | size | moov | our requests (validate + probe) | our bytes: validate + probe = total "
        + "| ffprobe requests | ffprobe read | ffprobe: bytes the server sent | ours / ffprobe sent | ours / ffprobe read |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      Tally ours = r.ours();
      long read = r.ffprobeRead();
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d (%d + %d) | %s + %s = **%s** | %d | %s | %s | %s | %s |%n",
          r.source().name(), human(r.size()), human(r.moov()), ours.requests().size(), r.validate().requests().size(),
          r.extract().requests().size(), human(r.validate().bytesFromServer()), human(r.extract().bytesFromServer()),
          human(ours.bytesFromServer()), r.ffprobeRequests(), read < 0 ? "?" : human(read), human(r.ffprobeSent()),
          ratio(ours.bytesFromServer(), r.ffprobeSent()), read <= 0 ? "?" : ratio(ours.bytesFromServer(), read)));
    }
    return b.toString();
  }

  static String details(List<Result> results) {
    StringBuilder b = new StringBuilder("Requests (bytes are what S3Proxy sent, HTTP headers included):\n");
    for (Result r : results) {
      b.append(r.source().name()).append('\n');
      b.append("  validate: ").append(brief(r.validate())).append('\n');
      b.append("  extract:  ").append(brief(r.extract())).append('\n');
      for (FfprobeRun f : r.ffprobe()) {
        b.append("  ffprobe:  ").append(f.tally().requests().stream()
            .map(q -> q.brief() + " (" + human(f.bytesByConnection().getOrDefault(q.connection(), 0L)) + " sent)")
            .collect(Collectors.joining(", "))).append(" = ").append(human(f.tally().bytesFromServer()))
            .append(", read ").append(f.consumed() < 0 ? "?" : human(f.consumed())).append('\n');
      }
    }
    return b.toString();
  }

  private static String brief(Tally t) {
    return t.requests().stream().map(CountingProxy.Request::brief).collect(Collectors.joining(", "))
        + " = " + human(t.bytesFromServer());
  }

  static List<String> failures(List<Result> results) {
    List<String> failures = new ArrayList<>();
    for (Result r : results) {
      String name = r.source().name();
      Tally ours = r.ours();
      if (ours.bytesFromServer() > BUDGET) {
        failures.add(name + ": read " + ours.bytesFromServer() + " bytes, over the budget of " + BUDGET);
      }
      ours.requests().stream().filter(q -> !q.bounded())
          .forEach(q -> failures.add(name + ": unbounded request " + q.method() + " " + q.target() + " " + q.brief()));
      FfprobeReport ffprobe = r.ffprobe().get(0).report();
      VideoMetadata m = r.metadata();
      if (Math.abs(m.durationSeconds() - ffprobe.duration()) > 1.0) {
        failures.add(name + ": our duration " + m.durationSeconds() + " s, ffprobe's " + ffprobe.duration() + " s");
      }
      if (m.width() != ffprobe.video().width() || m.height() != ffprobe.video().height()) {
        failures.add(name + ": our picture " + m.width() + "x" + m.height() + ", ffprobe's "
            + ffprobe.video().width() + "x" + ffprobe.video().height());
      }
    }
    return failures;
  }

  static String human(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** ours / theirs, with the "1/n" that reads faster when we are well below. */
  static String ratio(long ours, long theirs) {
    if (theirs <= 0) {
      return "?";
    }
    double r = (double) ours / theirs;
    return r >= 0.5
        ? String.format(Locale.ROOT, "%.2f", r)
        : String.format(Locale.ROOT, "%.3f (1/%.0f)", r, 1 / r);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  // ---------------------------------------------------------------- plumbing

  private static S3Client s3Client(S3Emulator s3, java.net.URI endpoint) {
    // The functions' own client (AwsClients), pointed at the emulator or at the counting proxy.
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials(s3))
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static StaticCredentialsProvider credentials(S3Emulator s3) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
  }

  /** The size of the top-level moov box, or 0 when there is none. */
  static long moovSize(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long at = 0;
      while (at + 8 <= f.length()) {
        f.seek(at);
        long size = f.readInt() & 0xffffffffL;
        byte[] type = new byte[4];
        f.readFully(type);
        if (size == 1) {
          size = f.readLong();
        } else if (size == 0) {
          size = f.length() - at;
        }
        if (new String(type, StandardCharsets.ISO_8859_1).equals("moov")) {
          return size;
        }
        if (size < 8) {
          return 0;
        }
        at += size;
      }
      return 0;
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
