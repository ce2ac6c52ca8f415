package videopipe.functions.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.functions.TransientFailure;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.events.SourceKey;
import videopipe.functions.metadata.Container;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * validateUpload against S3Proxy and dynalite, on real clips and on files that only pretend.
 * Every rejection must name what is wrong, be recorded in the catalog, and let the execution
 * succeed; a duplicate must change nothing.
 */
@ExtendWith(LocalAwsExtension.class)
class ValidateUploadTest {

  private static final String OWNER = "c0ffee00-1111-4222-8333-444455556666";
  private static final long MAX_BYTES = 4 * 1024 * 1024;

  private static Catalog catalog;
  private static Uploads uploads;
  private static ValidateUpload validate;
  private static LocalAws aws;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    uploads = new Uploads(aws.s3Client(), catalog, aws.bucket());
    validate = new ValidateUpload(catalog, new SourceStore(aws.s3Client()), new ContainerDetector(), MAX_BYTES,
        EnumSet.allOf(Container.class));
  }

  private static Validation run(EventBridgeEvent<ObjectCreated> event) {
    return validate.apply(new ValidateRequest(event, Uploads.executionArn()));
  }

  @ParameterizedTest
  @EnumSource(value = Clip.class, names = {"MP4_FAST_START", "MP4_MOOV_AT_END", "MOV", "MKV", "WEBM", "AVI",
      "MPEG_TS"})
  void acceptsEveryAllowedContainer(Clip clip) {
    EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, clip.bytes());
    Validation v = run(event);
    assertThat(v).isInstanceOf(Validation.Accepted.class);
    Validation.Accepted accepted = (Validation.Accepted) v;
    assertThat(accepted.container()).isEqualTo(clip.container());
    assertThat(accepted.bytes()).isEqualTo(clip.bytes().length);
    assertThat(catalog.get(accepted.videoId()).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
  }

  @Test
  void rejectsAnEmptyFile() {
    assertRejected(uploads.upload(OWNER, new byte[0]), RejectReason.EMPTY_FILE, "empty");
  }

  @Test
  void rejectsAPngRenamedMp4() {
    byte[] png = new byte[2048];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'},
        0, png, 0, 16);
    assertRejected(uploads.upload(OWNER, png), RejectReason.NOT_A_VIDEO, "image/png");
  }

  @Test
  void rejectsAPdfRenamedMp4() {
    byte[] pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);
    assertRejected(uploads.upload(OWNER, pdf), RejectReason.NOT_A_VIDEO, "application/pdf");
  }

  @Test
  void rejectsAZipRenamedMp4() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("video.mp4"));
      zip.write(Clip.MP4_FAST_START.bytes());
      zip.closeEntry();
    }
    assertRejected(uploads.upload(OWNER, bytes.toByteArray()), RejectReason.NOT_A_VIDEO, "zip");
  }

  @Test
  void rejectsAnElfExecutableRenamedMp4() throws Exception {
    byte[] elf = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/bin/true"));
    assertRejected(uploads.upload(OWNER, elf), RejectReason.EXECUTABLE, "program");
  }

  @Test
  void rejectsAWindowsExecutableRenamedMp4() {
    byte[] exe = new byte[1024];
    exe[0] = 'M';
    exe[1] = 'Z';
    exe[0x3c] = (byte) 0x80;
    exe[0x80] = 'P';
    exe[0x81] = 'E';
    assertRejected(uploads.upload(OWNER, exe), RejectReason.EXECUTABLE, "program");
  }

  @Test
  void rejectsAFileOverTheLimit() {
    byte[] big = Arrays.copyOf(Clip.MP4_FAST_START.bytes(), (int) MAX_BYTES + 1);
    assertRejected(uploads.upload(OWNER, big), RejectReason.TOO_LARGE, "4.0 MiB");
  }

  @Test
  void rejectsAnUploadOfAnotherSizeThanDeclared() {
    String videoId = Uploads.newVideoId();
    catalog.create(new videopipe.functions.catalog.NewVideo(videoId, OWNER, "a.mp4", "video/mp4", 10));
    EventBridgeEvent<ObjectCreated> event = uploads.put(SourceKey.of(OWNER, videoId), Clip.MP4_FAST_START.bytes());
    assertRejected(event, RejectReason.SIZE_MISMATCH, "declared as 10 bytes");
  }

  @Test
  void rejectsAnUnknownVideoIdWithoutCreatingIt() {
    String videoId = Uploads.newVideoId();
    EventBridgeEvent<ObjectCreated> event = uploads.put(SourceKey.of(OWNER, videoId), Clip.MP4_FAST_START.bytes());
    Validation v = run(event);
    assertThat(v).isEqualTo(new Validation.Rejected(videoId, RejectReason.UNKNOWN_VIDEO,
        "no upload was created for video " + videoId + "; ask for an upload first (POST /uploads)"));
    assertThat(catalog.get(videoId)).isEmpty();
  }

  @Test
  void rejectsAKeyUnderAnotherOwnerWithoutTouchingTheirVideo() {
    EventBridgeEvent<ObjectCreated> mine = uploads.upload(OWNER, Clip.MP4_FAST_START.bytes());
    String videoId = SourceKey.parse(SourceKey.decode(mine.detail().object().key()).orElseThrow()).orElseThrow().videoId();
    EventBridgeEvent<ObjectCreated> theirs = uploads.put(SourceKey.of("mallory", videoId), Clip.MP4_FAST_START.bytes());
    Validation v = run(theirs);
    assertThat(v).extracting(x -> ((Validation.Rejected) x).reason()).isEqualTo(RejectReason.OWNER_MISMATCH);
    assertThat(catalog.get(videoId).orElseThrow().status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
  }

  @Test
  void rejectsKeysWithDotDotSpacesOrUnicodeOutsideTheLayout() {
    for (String key : new String[] {"uploads/../etc/passwd", "uploads/own er/" + Uploads.newVideoId() + "/source",
        "uploads/" + OWNER + "/vidéo-ü-1234/source", "uploads/" + OWNER + "/" + Uploads.newVideoId() + "/../source",
        "videos/" + OWNER + "/x/source"}) {
      // Built, not PUT: S3 stores such keys, but S3Proxy's file-backed store cannot hold a '..'
      // segment, and the key is judged before the object is ever read.
      Validation v = run(Uploads.event(aws.bucket(), key, 1000, null));
      assertThat(v).as(key).isInstanceOf(Validation.Rejected.class);
      assertThat(((Validation.Rejected) v).reason()).as(key).isEqualTo(RejectReason.KEY_OUTSIDE_UPLOADS);
      assertThat(((Validation.Rejected) v).videoId()).isNull();
    }
  }

  @Test
  void decodesKeysTheWayS3EncodesThem() {
    String owner = "auth0|a+b=c";
    String videoId = Uploads.newVideoId();
    catalog.create(new videopipe.functions.catalog.NewVideo(videoId, owner, "a.mp4", "video/mp4",
        Clip.MP4_FAST_START.bytes().length));
    EventBridgeEvent<ObjectCreated> event = uploads.put(SourceKey.of(owner, videoId), Clip.MP4_FAST_START.bytes());
    assertThat(event.detail().object().key()).contains("%7C", "%2B", "%3D");
    assertThat(run(event)).isInstanceOf(Validation.Accepted.class);
  }

  @Test
  void rejectsAMalformedEventSayingWhatIsMissing() {
    EventBridgeEvent<ObjectCreated> good = uploads.upload(OWNER, Clip.MP4_FAST_START.bytes());
    EventBridgeEvent<ObjectCreated> noKey = new EventBridgeEvent<>(good.version(), good.id(), good.detailType(),
        good.source(), good.account(), good.time(), good.region(), good.resources(), new ObjectCreated("0",
            good.detail().bucket(), new ObjectCreated.S3Object(null, 1L, "e", null, "s"), null, null, null, null));
    assertThat(run(noKey)).isEqualTo(
        new Validation.Rejected(null, RejectReason.MALFORMED_EVENT, "the event has no 'detail.object.key'"));
    EventBridgeEvent<ObjectCreated> wrongType = new EventBridgeEvent<>(good.version(), good.id(), "Object Deleted",
        good.source(), good.account(), good.time(), good.region(), good.resources(), good.detail());
    assertThat(((Validation.Rejected) run(wrongType)).detail()).contains("Object Deleted");
    assertThat(run(null)).isEqualTo(new Validation.Rejected(null, RejectReason.MALFORMED_EVENT, "the input has no 'event'"));
  }

  @Test
  void absorbsADuplicateEventWithoutProcessingTwice() {
    EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, Clip.MP4_FAST_START.bytes());
    Validation first = run(event);
    assertThat(first).isInstanceOf(Validation.Accepted.class);
    var before = catalog.get(first.videoId()).orElseThrow();
    Validation second = run(event);
    assertThat(second).isInstanceOf(Validation.Duplicate.class);
    var after = catalog.get(first.videoId()).orElseThrow();
    assertThat(after.status()).isEqualTo(VideoStatus.PROCESSING);
    assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
    assertThat(after.claimedBy()).isEqualTo(before.claimedBy());
  }

  @Test
  void givesTheSameAnswerWhenTheSameExecutionRunsAgain() {
    EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, Clip.MKV.bytes());
    String execution = Uploads.executionArn();
    Validation first = validate.apply(new ValidateRequest(event, execution));
    Validation again = validate.apply(new ValidateRequest(event, execution));
    assertThat(again).isEqualTo(first).isInstanceOf(Validation.Accepted.class);

    EventBridgeEvent<ObjectCreated> bad = uploads.upload(OWNER, new byte[0]);
    String execution2 = Uploads.executionArn();
    Validation rejected = validate.apply(new ValidateRequest(bad, execution2));
    assertThat(validate.apply(new ValidateRequest(bad, execution2))).isEqualTo(rejected);
  }

  @Test
  void failsRetryablyWhenS3IsUnreachableAndKeepsTheClaim() {
    S3Client unreachable = S3Client.builder()
        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
        .build();
    ValidateUpload broken = new ValidateUpload(catalog, new SourceStore(unreachable), new ContainerDetector(),
        MAX_BYTES, EnumSet.allOf(Container.class));
    EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, Clip.MP4_FAST_START.bytes());
    String execution = Uploads.executionArn();
    assertThatThrownBy(() -> broken.apply(new ValidateRequest(event, execution)))
        .isInstanceOf(TransientFailure.class).hasMessageContaining("HEAD");
    String videoId = SourceKey.parse(SourceKey.decode(event.detail().object().key()).orElseThrow()).orElseThrow().videoId();
    assertThat(catalog.get(videoId).orElseThrow().status()).isEqualTo(VideoStatus.VALIDATING);
    assertThat(validate.apply(new ValidateRequest(event, execution))).isInstanceOf(Validation.Accepted.class);
  }

  @Test
  void refusesToRunWithoutAnExecutionArn() {
    EventBridgeEvent<ObjectCreated> event = uploads.upload(OWNER, Clip.MP4_FAST_START.bytes());
    assertThatThrownBy(() -> validate.apply(new ValidateRequest(event, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executionArn");
  }

  private static void assertRejected(EventBridgeEvent<ObjectCreated> event, RejectReason reason,
      String detailContains) {
    Validation v = run(event);
    assertThat(v).isInstanceOf(Validation.Rejected.class);
    Validation.Rejected rejected = (Validation.Rejected) v;
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.detail()).contains(detailContains);
    var item = catalog.get(rejected.videoId()).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.REJECTED);
    assertThat(item.rejectReason()).isEqualTo(reason.name());
    assertThat(item.rejectDetail()).isEqualTo(rejected.detail());
  }
}
