package videopipe.functions.captions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.transcribe.TranscribeClient;
import software.amazon.awssdk.services.transcribe.model.TranscriptionJob;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.publish.CaptionTrack;
import videopipe.functions.testing.Uploads;
import videopipe.functions.testing.WireCapture;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * Automatic captions. There is no local Amazon Transcribe, so: the StartTranscriptionJob request is
 * checked as the real SDK client marshals it ({@link WireCapture}: never sent, nothing answers);
 * the attach-on-completion path runs against S3Proxy and dynalite with the files a COMPLETED job
 * leaves in the media bucket and the job as the SDK models GetTranscriptionJob's answer; and a
 * stack without Transcribe records UNAVAILABLE with its reason, never an invented transcript.
 */
@ExtendWith(LocalAwsExtension.class)
class AutomaticCaptionsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String STACK = "dev";
  private static final String VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello from the machine.\n\n"
      + "2\n00:00:01.500 --> 00:00:03.000\nSecond <script>alert(1)</script>cue.\n";
  private static LocalAws aws;
  private static Catalog catalog;
  private static AutomaticCaptions auto;
  private static TranscriptionCompleted completed;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    // No Transcribe client is ever built by these tests: no call reaches Transcribe.
    auto = AutomaticCaptions.enabled(() -> {
      throw new AssertionError("no Amazon Transcribe here");
    }, aws.s3Client(), aws.bucket(), STACK, 64 * 1024);
    completed = new TranscriptionCompleted(catalog, auto);
  }

  private static String processing() {
    String exec = Uploads.executionArn();
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("uploads/alice/" + id + "/source", "e", "s", 100), exec);
    catalog.accept(id, exec, "MP4", 100);
    return id;
  }

  /** What a COMPLETED job leaves: its subtitles where Transcribe writes them, and the job as GetTranscriptionJob describes it. */
  private static TranscriptionJob completedJob(String videoId, String languageCode, String vtt) {
    String name = AutomaticCaptions.jobName(STACK, videoId);
    String key = AutomaticCaptions.outputPrefix(videoId) + name + ".vtt";
    if (vtt != null) {
      aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString(vtt));
    }
    return TranscriptionJob.builder()
        .transcriptionJobName(name)
        .transcriptionJobStatus("COMPLETED")
        .languageCode(languageCode)
        .identifyLanguage(true)
        .subtitles(s -> s.formatsWithStrings("vtt").outputStartIndex(1)
            .subtitleFileUris("https://s3.us-east-1.amazonaws.com/" + aws.bucket() + "/" + key))
        .build();
  }

  private static String read(String key) {
    return aws.s3Client().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asUtf8String();
  }

  @Test
  void startsOneJobNamedAfterTheStackAndTheVideoWithWebVttSubtitlesInTheMediaBucket() {
    String name = AutomaticCaptions.jobName(STACK, "v1");
    WireCapture.Request sent = WireCapture.of(TranscribeClient.builder(), c -> c.startTranscriptionJob(
        AutomaticCaptions.startRequest(name, "v1", "uploads-bkt", "uploads/alice/v1/source", "media-bkt")));
    assertThat(sent.target()).isEqualTo("Transcribe.StartTranscriptionJob");
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.get("TranscriptionJobName").asString()).isEqualTo("videopipe-dev-v1");
    assertThat(body.get("Media").get("MediaFileUri").asString()).isEqualTo("s3://uploads-bkt/uploads/alice/v1/source");
    assertThat(body.get("IdentifyLanguage").asBoolean()).isTrue();
    assertThat(body.has("LanguageCode")).as("IdentifyLanguage excludes LanguageCode").isFalse();
    assertThat(body.get("Subtitles").get("Formats")).hasSize(1);
    assertThat(body.get("Subtitles").get("Formats").get(0).asString()).isEqualTo("vtt");
    assertThat(body.get("Subtitles").get("OutputStartIndex").asInt()).isEqualTo(1);
    assertThat(body.get("OutputBucketName").asString()).isEqualTo("media-bkt");
    assertThat(body.get("OutputKey").asString()).isEqualTo("media/v1/captions/auto/");
  }

  @Test
  void namesJobsSoThatEachStackTakesOnlyItsOwn() {
    assertThat(auto.videoIdOf("videopipe-dev-v42")).isEqualTo("v42");
    assertThat(auto.videoIdOf("videopipe-prod-v42")).isNull();
    assertThat(auto.videoIdOf("videopipe-dev-")).isNull();
    assertThat(auto.videoIdOf("someone-elses-job")).isNull();
  }

  @Test
  void attachesACompletedJobsSubtitlesLikeASidecar() {
    String id = processing();
    Captions.Automatic a = auto.attach(id, completedJob(id, "en-US", VTT), Set.of());
    assertThat(a.status()).isEqualTo("ATTACHED");
    assertThat(a.track()).isEqualTo(new CaptionTrack("en-US", "English (United States) (automatic)",
        "media/" + id + "/captions/en-US.vtt"));
    assertThat(read("media/" + id + "/captions/en-US.vtt"))
        .startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello from the machine.\n")
        .doesNotContain("<script", "alert");
  }

  @Test
  void keepsTheCreatorsOwnCaptionsOfThatLanguage() {
    String id = processing();
    Captions.Automatic a = auto.attach(id, completedJob(id, "en-US", VTT), Set.of("en-US"));
    assertThat(a).isEqualTo(new Captions.Automatic("REJECTED", "the creator's own en-US captions are kept",
        AutomaticCaptions.jobName(STACK, id), null));
  }

  @Test
  void rejectsSubtitlesThatAreNotUsableWebVtt() {
    String id = processing();
    Captions.Automatic a = auto.attach(id, completedJob(id, "fr-FR",
        "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nà l'envers\n"), Set.of());
    assertThat(a.status()).isEqualTo("REJECTED");
    assertThat(a.reason()).startsWith("the subtitles are not usable WebVTT: line 3: the cue ends");
    assertThat(aws.s3Client().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("media/" + id + "/captions/fr"))
        .contents()).isEmpty();
  }

  @Test
  void rejectsMissingSubtitlesWithoutInventingAny() {
    String id = processing();
    Captions.Automatic a = auto.attach(id, completedJob(id, "en-US", null), Set.of());
    assertThat(a.status()).isEqualTo("REJECTED");
    assertThat(a.reason()).contains("missing from the media bucket");
  }

  @Test
  void reportsAJobStillRunningOrFailedAsItIs() {
    String name = AutomaticCaptions.jobName(STACK, "v9");
    assertThat(auto.attach("v9", TranscriptionJob.builder().transcriptionJobName(name)
        .transcriptionJobStatus("IN_PROGRESS").build(), Set.of()).status()).isEqualTo("IN_PROGRESS");
    assertThat(auto.attach("v9", TranscriptionJob.builder().transcriptionJobName(name)
        .transcriptionJobStatus("FAILED").failureReason("Unsupported audio format").build(), Set.of()))
        .isEqualTo(new Captions.Automatic("FAILED", "Amazon Transcribe job " + name
            + " failed: Unsupported audio format", name, null));
  }

  @Test
  void recordsAFailedJobFromItsEventInTheCatalog() {
    String id = processing();
    String event = """
        {"version": "0", "id": "1", "detail-type": "Transcribe Job State Change", "source": "aws.transcribe",
         "account": "123456789012", "time": "2026-11-24T12:00:00Z", "region": "us-east-1", "resources": [],
         "detail": {"TranscriptionJobName": "%s", "TranscriptionJobStatus": "FAILED",
                    "FailureReason": "The media file is too short."}}""".formatted(AutomaticCaptions.jobName(STACK, id));
    Captions.Automatic a = completed.apply(
        JSON.readValue(event, new TypeReference<EventBridgeEvent<TranscriptionJobStateChange>>() {}));
    assertThat(a.status()).isEqualTo("FAILED");
    assertThat(catalog.automaticCaptions(id).orElseThrow()).containsEntry("status", "FAILED")
        .containsEntry("reason", "Amazon Transcribe job videopipe-dev-" + id + " failed: The media file is too short.");
  }

  @Test
  void ignoresAnotherStacksJobAndAnUnknownVideo() {
    Captions.Automatic foreign = completed.apply(transcribeEvent(
        new TranscriptionJobStateChange("videopipe-prod-v1", "FAILED", "x")));
    assertThat(foreign).isEqualTo(new Captions.Automatic("IGNORED", "not a job of this stack", "videopipe-prod-v1", null));
    Captions.Automatic unknown = completed.apply(transcribeEvent(
        new TranscriptionJobStateChange("videopipe-dev-vnosuch", "FAILED", "x")));
    assertThat(unknown.reason()).isEqualTo("no such video in the catalog");
    assertThat(completed.apply(new EventBridgeEvent<>(null, null, null, null, null, null, null, null, null))
        .status()).isEqualTo("IGNORED");
  }

  private static EventBridgeEvent<TranscriptionJobStateChange> transcribeEvent(TranscriptionJobStateChange detail) {
    return new EventBridgeEvent<>("0", "1", TranscriptionJobStateChange.DETAIL_TYPE, TranscriptionJobStateChange.SOURCE,
        "123456789012", "2026-11-24T12:00:00Z", "us-east-1", List.of(), detail);
  }

  @Test
  void recordsTheAttachedTrackEvenAfterTheVideoIsReady() {
    String id = processing();
    String exec = catalog.get(id).orElseThrow().claimedBy();
    catalog.markReady(id, exec, Map.of("playlistKey", "media/" + id + "/hls/index.m3u8"), List.of());
    Captions.Automatic a = auto.attach(id, completedJob(id, "en-US", VTT), Set.of());
    assertThat(catalog.recordAutomaticCaptions(id, a)).isTrue();
    assertThat(catalog.automaticCaptions(id).orElseThrow()).containsEntry("status", "ATTACHED")
        .containsEntry("track", Map.of("lang", "en-US", "label", "English (United States) (automatic)",
            "key", "media/" + id + "/captions/en-US.vtt"));
  }

  @Test
  void refusesToStartEnabledWithoutAStackName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutomaticCaptions.enabled(TranscribeClient::create,
        aws.s3Client(), aws.bucket(), " ", 1024)).hasMessageContaining("STACK_NAME");
  }

  @Test
  void isUnavailableWithAReasonWhenTheStackDoesNotEnableIt() {
    Captions.Automatic a = AutomaticCaptions.disabled().request("v1", "b", "k", Set.of());
    assertThat(a.status()).isEqualTo("UNAVAILABLE");
    assertThat(a.reason()).contains("TRANSCRIBE_CAPTIONS").contains("the local stack has no Amazon Transcribe");
  }
}
