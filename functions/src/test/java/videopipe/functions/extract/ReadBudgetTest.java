package videopipe.functions.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.EnumSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.functions.Settings;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.LongMovie;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingProxy;
import videopipe.functions.testing.CountingProxy.Tally;
import videopipe.functions.testing.Uploads;
import videopipe.functions.validate.ContainerDetector;
import videopipe.functions.validate.ValidateRequest;
import videopipe.functions.validate.ValidateUpload;
import videopipe.functions.validate.Validation;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * The design's "Probe" budget, end to end: validateUpload then extractMetadata fetch at most 512
 * KiB from S3 per upload, HEADs and HTTP headers included, asking only for bounded ranges, whether
 * the clip lasts 10 s or 81 minutes with megabytes of sample tables, moov first or last. Counted on
 * the wire, by a proxy in front of S3Proxy, not by the code under test. A budget, not a timing:
 * the same file costs the same bytes on every run. {@code BytesReadBenchmark} measures the big
 * cases side by side with ffprobe.
 */
@ExtendWith(LocalAwsExtension.class)
class ReadBudgetTest {

  private static final long BUDGET = 512 * 1024;
  private static final String OWNER = "budget-owner";

  private static LocalAws aws;
  private static Catalog catalog;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
  }

  static Stream<Arguments> uploads() {
    return Stream.of(
        Arguments.of("10 s clip, fast-start", (Supplier<byte[]>) Clip.MP4_TEN_SECONDS_FAST_START::bytes),
        Arguments.of("10 s clip, moov at end", (Supplier<byte[]>) Clip.MP4_TEN_SECONDS_MOOV_AT_END::bytes),
        Arguments.of("81 min, fast-start", (Supplier<byte[]>) LongMovie::fastStart),
        Arguments.of("81 min, moov at end", (Supplier<byte[]>) LongMovie::moovAtEnd));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uploads")
  void fetchesAtMost512KiBFromS3ToValidateAndProbe(String name, Supplier<byte[]> file) {
    assertThat(ingest(file.get()).bytesFromServer()).isLessThanOrEqualTo(BUDGET);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uploads")
  void asksS3OnlyForBoundedRanges(String name, Supplier<byte[]> file) {
    Tally tally = ingest(file.get());
    assertThat(tally.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.bounded()).as(r.toString()).isTrue());
  }

  /**
   * Uploads directly, then validates and extracts as one execution with an S3 client whose every
   * connection goes through a fresh counting proxy; returns what S3 sent for those two steps.
   */
  private static Tally ingest(byte[] bytes) {
    Uploads uploads = new Uploads(aws.s3Client(), catalog, aws.bucket());
    try (CountingProxy proxy = CountingProxy.start(aws.s3Endpoint());
         S3Client s3 = S3Client.builder()
             .endpointOverride(proxy.endpoint())
             .region(Region.of(aws.region()))
             .credentialsProvider(aws.credentialsProvider())
             .forcePathStyle(true)
             .httpClient(UrlConnectionHttpClient.create())
             .build()) {
      SourceStore store = new SourceStore(s3);
      ValidateUpload validate = new ValidateUpload(catalog, store, new ContainerDetector(),
          Settings.DEFAULT_MAX_UPLOAD_BYTES, EnumSet.allOf(Container.class));
      ExtractMetadata extract = new ExtractMetadata(catalog, store, new VideoProbe(),
          Settings.DEFAULT_MAX_DURATION_SECONDS);
      String execution = Uploads.executionArn();
      Validation v = validate.apply(new ValidateRequest(uploads.upload(OWNER, bytes), execution));
      assertThat(v).isInstanceOf(Validation.Accepted.class);
      Validation.Accepted a = (Validation.Accepted) v;
      Extraction e = extract.apply(new ExtractRequest(a.videoId(), a.ownerId(), a.bucket(), a.key(), a.container(),
          a.bytes(), a.etag(), execution));
      assertThat(e).isInstanceOf(Extraction.Extracted.class);
      return proxy.tally();
    }
  }
}
