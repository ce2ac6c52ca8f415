package videopipe.functions.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.Uploads;
import videopipe.functions.validate.ContainerDetector;
import videopipe.functions.validate.RejectReason;
import videopipe.functions.validate.ValidateRequest;
import videopipe.functions.validate.ValidateUpload;
import videopipe.functions.validate.Validation;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * extractMetadata after validateUpload, as the state machine chains them, against S3Proxy and
 * dynalite: metadata lands in the catalog; a truncated or corrupt file is REJECTED with the
 * probe's reason, never an error an operator would redrive.
 */
@ExtendWith(LocalAwsExtension.class)
class ExtractMetadataTest {

  private static final String OWNER = "0a0b0c0d-owner";

  private static Catalog catalog;
  private static Uploads uploads;
  private static ValidateUpload validate;
  private static ExtractMetadata extract;

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    uploads = new Uploads(aws.s3Client(), catalog, aws.bucket());
    SourceStore store = new SourceStore(aws.s3Client());
    validate = new ValidateUpload(catalog, store, new ContainerDetector(), Long.MAX_VALUE,
        EnumSet.allOf(Container.class));
    extract = new ExtractMetadata(catalog, store, new VideoProbe(), 3600);
  }

  /** Uploads, validates (must be accepted) and extracts, as one execution. */
  private static Extraction ingest(byte[] bytes) {
    String execution = Uploads.executionArn();
    Validation v = validate.apply(new ValidateRequest(uploads.upload(OWNER, bytes), execution));
    assertThat(v).isInstanceOf(Validation.Accepted.class);
    return extract.apply(request((Validation.Accepted) v, execution));
  }

  private static ExtractRequest request(Validation.Accepted a, String execution) {
    return new ExtractRequest(a.videoId(), a.ownerId(), a.bucket(), a.key(), a.container(), a.bytes(), a.etag(),
        execution);
  }

  @ParameterizedTest
  @EnumSource(value = Clip.class, names = {"MP4_FAST_START", "MP4_MOOV_AT_END", "MP4_ROTATED", "MOV", "MKV", "WEBM",
      "AVI", "MPEG_TS"})
  void storesTheMetadataOfEveryContainer(Clip clip) {
    Extraction e = ingest(clip.bytes());
    assertThat(e).isInstanceOf(Extraction.Extracted.class);
    VideoMetadata m = ((Extraction.Extracted) e).metadata();
    assertThat(m.container()).isEqualTo(clip.container());
    assertThat(m.width()).isPositive();
    VideoItem item = catalog.get(e.videoId()).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.PROCESSING);
    Map<String, Object> stored = item.metadata();
    assertThat(stored).containsEntry("width", (long) m.width()).containsEntry("height", (long) m.height())
        .containsEntry("videoCodec", m.videoCodec()).containsEntry("rotation", (long) m.rotation());
  }

  @Test
  void readsRotationOfAPhoneVideo() {
    Extraction e = ingest(Clip.MP4_ROTATED.bytes());
    assertThat(((Extraction.Extracted) e).metadata().rotation()).isEqualTo(90);
  }

  @Test
  void rejectsATruncatedMp4() {
    byte[] whole = Clip.MP4_MOOV_AT_END.bytes();
    Extraction e = ingest(Arrays.copyOf(whole, whole.length * 2 / 3));
    assertThat(e).isInstanceOf(Extraction.Rejected.class);
    Extraction.Rejected r = (Extraction.Rejected) e;
    assertThat(r.reason()).isIn(RejectReason.TRUNCATED, RejectReason.CORRUPT);
    assertThat(r.detail()).isNotBlank();
    VideoItem item = catalog.get(e.videoId()).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.REJECTED);
    assertThat(item.rejectReason()).isEqualTo(r.reason().name());
  }

  @Test
  void rejectsAVideoLongerThanAllowed() {
    ExtractMetadata strict = new ExtractMetadata(catalog, new SourceStore(uploadsClient()), new VideoProbe(), 1);
    String execution = Uploads.executionArn();
    Validation.Accepted a = (Validation.Accepted) validate.apply(
        new ValidateRequest(uploads.upload(OWNER, Clip.MP4_LONG.bytes()), execution));
    Extraction e = strict.apply(request(a, execution));
    assertThat(e).isEqualTo(new Extraction.Rejected(a.videoId(), RejectReason.TOO_LONG,
        "the video lasts 0:00:20; the longest accepted is 0:00:01"));
  }

  @Test
  void runsTwiceToTheSameResult() {
    String execution = Uploads.executionArn();
    Validation.Accepted a = (Validation.Accepted) validate.apply(
        new ValidateRequest(uploads.upload(OWNER, Clip.MKV.bytes()), execution));
    Extraction first = extract.apply(request(a, execution));
    Extraction second = extract.apply(request(a, execution));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void refusesAnotherExecutionsVideo() {
    String execution = Uploads.executionArn();
    Validation.Accepted a = (Validation.Accepted) validate.apply(
        new ValidateRequest(uploads.upload(OWNER, Clip.MKV.bytes()), execution));
    assertThatThrownBy(() -> extract.apply(request(a, Uploads.executionArn())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("claimed by " + execution);
    assertThat(catalog.get(a.videoId()).orElseThrow().metadata()).isNull();
  }

  @Test
  void refusesAnIncompleteRequest() {
    assertThatThrownBy(() -> extract.apply(new ExtractRequest("v", null, null, null, null, 0, null, "arn")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("videoId, bucket, key and container");
  }

  private static software.amazon.awssdk.services.s3.S3Client uploadsClient() {
    return software.amazon.awssdk.services.s3.S3Client.builder().forcePathStyle(true).build();
  }
}
