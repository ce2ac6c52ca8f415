package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.testing.WireCapture;

/**
 * The CreateJob request submitTranscode sends, checked field by field against MediaConvert's API
 * reference (job settings JSON: {@code OutputGroupSettings.Type}, {@code CodecSettings.Codec},
 * {@code H264Settings.RateControlMode}, {@code ContainerSettings.Container},
 * {@code FrameCaptureSettings}). It is read as the SDK puts it on the wire (taken before transmission,
 * see {@link WireCapture}), which also proves that the mediaconvert module (2.40.2, Central's newest) marshals on
 * the BOM's newer SDK core. The local MediaConvert implements exactly this subset.
 */
class JobRequestsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JobRequests.Source SOURCE =
      new JobRequests.Source("v123", "arn:aws:states:us-east-1:000000000000:execution:video-ingest:e1", "uploads-bkt",
          "uploads/alice/v123/source");
  private static final JobRequests.Target TARGET =
      new JobRequests.Target("arn:aws:iam::000000000000:role/mediaconvert", null, "media-bkt", "dev");

  private static TranscodePlan plan(int width, int height, double fps, int audioTracks) {
    return LadderPicker.pick(new VideoMetadata(Container.MP4, 30, width, height, 0, fps, "h264",
        audioTracks > 0 ? "aac" : null, 1, audioTracks), Ladder.DEFAULT);
  }

  /** The request as JSON on the wire, marshalled by the real SDK client (never sent). */
  private static JsonNode wire(CreateJobRequest request) {
    WireCapture.Request sent = WireCapture.of(MediaConvertClient.builder(), c -> c.createJob(request));
    assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /2017-08-29/jobs");
    return JSON.readTree(sent.body());
  }

  private static JsonNode landscapeJob() throws IOException {
    return wire(JobRequests.createJob(SOURCE, plan(1280, 720, 30, 1), TARGET,
        JobRequests.clientRequestToken("v123", Ladder.DEFAULT, null)));
  }

  @Test
  void carriesRoleTokenAndUserMetadata() throws IOException {
    JsonNode job = landscapeJob();
    assertThat(job.get("role").asString()).isEqualTo(TARGET.role());
    assertThat(job.get("clientRequestToken").asString()).hasSizeLessThanOrEqualTo(64)
        .isEqualTo(JobRequests.clientRequestToken("v123", Ladder.DEFAULT, null));
    assertThat(job.get("userMetadata").get("videoId").asString()).isEqualTo("v123");
    assertThat(job.get("userMetadata").get("executionArn").asString()).isEqualTo(SOURCE.executionArn());
    // What the transcode rule's pattern matches on (statemachines' transcode-job-state-change).
    assertThat(job.get("userMetadata").get("videopipeStack").asString()).isEqualTo("dev");
    assertThat(job.has("queue")).isFalse();
  }

  @Test
  void readsTheSourceWithRotationAndOneAudioSelector() throws IOException {
    JsonNode input = landscapeJob().get("settings").get("inputs").get(0);
    assertThat(input.get("fileInput").asString()).isEqualTo("s3://uploads-bkt/uploads/alice/v123/source");
    assertThat(input.get("videoSelector").get("rotate").asString()).isEqualTo("AUTO");
    assertThat(input.get("timecodeSource").asString()).isEqualTo("ZEROBASED");
    assertThat(input.get("audioSelectors").get("Audio Selector 1").get("defaultSelection").asString())
        .isEqualTo("DEFAULT");
  }

  @Test
  void writesAnHlsGroupOfQvbrH264AndAacRenditions() throws IOException {
    JsonNode group = landscapeJob().get("settings").get("outputGroups").get(0);
    JsonNode settings = group.get("outputGroupSettings");
    assertThat(settings.get("type").asString()).isEqualTo("HLS_GROUP_SETTINGS");
    assertThat(settings.get("hlsGroupSettings").get("destination").asString()).isEqualTo("s3://media-bkt/media/v123/hls/index");
    assertThat(settings.get("hlsGroupSettings").get("segmentLength").asInt()).isEqualTo(6);
    assertThat(settings.get("hlsGroupSettings").get("minSegmentLength").asInt()).isZero();
    assertThat(settings.get("hlsGroupSettings").get("segmentControl").asString()).isEqualTo("SEGMENTED_FILES");
    JsonNode outputs = group.get("outputs");
    assertThat(outputs).hasSize(3);
    assertThat(outputs.get(0).get("nameModifier").asString()).isEqualTo("_720p");
    assertThat(outputs.get(0).get("containerSettings").get("container").asString()).isEqualTo("M3U8");
    JsonNode video = outputs.get(0).get("videoDescription");
    assertThat(video.get("width").asInt()).isEqualTo(1280);
    assertThat(video.get("height").asInt()).isEqualTo(720);
    JsonNode codec = video.get("codecSettings");
    assertThat(codec.get("codec").asString()).isEqualTo("H_264");
    JsonNode h264 = codec.get("h264Settings");
    assertThat(h264.get("rateControlMode").asString()).isEqualTo("QVBR");
    assertThat(h264.get("qvbrSettings").get("qvbrQualityLevel").asInt()).isEqualTo(7);
    assertThat(h264.get("maxBitrate").asInt()).isEqualTo(3_500_000);
    assertThat(h264.get("framerateControl").asString()).isEqualTo("INITIALIZE_FROM_SOURCE");
    assertThat(h264.get("gopSize").asDouble()).isEqualTo(2.0);
    assertThat(h264.get("gopSizeUnits").asString()).isEqualTo("SECONDS");
    assertThat(h264.get("codecProfile").asString()).isEqualTo("MAIN");
    assertThat(h264.get("codecLevel").asString()).isEqualTo("AUTO");
    assertThat(h264.get("sceneChangeDetect").asString()).isEqualTo("TRANSITION_DETECTION");
    assertThat(h264.has("bitrate")).as("QVBR takes maxBitrate, never bitrate").isFalse();
    JsonNode audio = outputs.get(0).get("audioDescriptions").get(0);
    assertThat(audio.get("audioSourceName").asString()).isEqualTo("Audio Selector 1");
    assertThat(audio.get("codecSettings").get("codec").asString()).isEqualTo("AAC");
    JsonNode aac = audio.get("codecSettings").get("aacSettings");
    assertThat(aac.get("bitrate").asInt()).isEqualTo(128_000);
    assertThat(aac.get("codingMode").asString()).isEqualTo("CODING_MODE_2_0");
    assertThat(aac.get("sampleRate").asInt()).isEqualTo(48_000);
  }

  @Test
  void writesTheTopRenditionAsAnMp4FileGroup() throws IOException {
    JsonNode group = landscapeJob().get("settings").get("outputGroups").get(1);
    assertThat(group.get("outputGroupSettings").get("type").asString()).isEqualTo("FILE_GROUP_SETTINGS");
    assertThat(group.get("outputGroupSettings").get("fileGroupSettings").get("destination").asString())
        .isEqualTo("s3://media-bkt/media/v123/download");
    JsonNode output = group.get("outputs").get(0);
    assertThat(output.get("containerSettings").get("container").asString()).isEqualTo("MP4");
    assertThat(output.get("extension").asString()).isEqualTo("mp4");
    assertThat(output.get("videoDescription").get("height").asInt()).isEqualTo(720);
    assertThat(output.get("audioDescriptions")).hasSize(1);
  }

  @Test
  void capturesThePosterAsRawJpegFrames() throws IOException {
    JsonNode group = landscapeJob().get("settings").get("outputGroups").get(2);
    assertThat(group.get("outputGroupSettings").get("type").asString()).isEqualTo("FILE_GROUP_SETTINGS");
    assertThat(group.get("outputGroupSettings").get("fileGroupSettings").get("destination").asString())
        .isEqualTo("s3://media-bkt/media/v123/poster");
    JsonNode output = group.get("outputs").get(0);
    assertThat(output.get("containerSettings").get("container").asString()).isEqualTo("RAW");
    assertThat(output.get("extension").asString()).isEqualTo("jpg");
    assertThat(output.has("audioDescriptions")).isFalse();
    JsonNode codec = output.get("videoDescription").get("codecSettings");
    assertThat(codec.get("codec").asString()).isEqualTo("FRAME_CAPTURE");
    JsonNode capture = codec.get("frameCaptureSettings");
    assertThat(capture.get("framerateNumerator").asInt()).isEqualTo(1);
    assertThat(capture.get("framerateDenominator").asInt()).isEqualTo(3);
    assertThat(capture.get("maxCaptures").asInt()).isEqualTo(2);
    assertThat(capture.get("quality").asInt()).isEqualTo(80);
  }

  @Test
  void leavesAudioOutOfASilentSourcesJob() throws IOException {
    JsonNode settings = wire(JobRequests.createJob(SOURCE, plan(640, 360, 30, 0), TARGET, "t")).get("settings");
    assertThat(settings.get("inputs").get(0).has("audioSelectors")).isFalse();
    for (JsonNode group : settings.get("outputGroups")) {
      for (JsonNode output : group.get("outputs")) {
        assertThat(output.has("audioDescriptions")).as(group.get("name").asString()).isFalse();
      }
    }
  }

  @Test
  void convertsTheFrameRateOnlyWhereTheRungCapsIt() throws IOException {
    JsonNode outputs = wire(JobRequests.createJob(SOURCE, plan(1280, 720, 59.94, 1), TARGET, "t"))
        .get("settings").get("outputGroups").get(0).get("outputs");
    JsonNode top = outputs.get(0).get("videoDescription").get("codecSettings").get("h264Settings");
    assertThat(top.get("framerateControl").asString()).isEqualTo("INITIALIZE_FROM_SOURCE");
    JsonNode low = outputs.get(2).get("videoDescription").get("codecSettings").get("h264Settings");
    assertThat(low.get("framerateControl").asString()).isEqualTo("SPECIFIED");
    assertThat(low.get("framerateNumerator").asInt()).isEqualTo(30000);
    assertThat(low.get("framerateDenominator").asInt()).isEqualTo(1001);
    assertThat(low.get("framerateConversionAlgorithm").asString()).isEqualTo("DUPLICATE_DROP");
  }

  @Test
  void namesTheQueueWhenConfigured() throws IOException {
    JsonNode job = wire(JobRequests.createJob(SOURCE, plan(640, 360, 30, 1),
        new JobRequests.Target("role", "arn:aws:mediaconvert:us-east-1:000000000000:queues/videopipe", "m", null), "t"));
    assertThat(job.get("queue").asString()).isEqualTo("arn:aws:mediaconvert:us-east-1:000000000000:queues/videopipe");
  }

  @Test
  void derivesTheClientRequestTokenFromVideoLadderAndReplacedJob() {
    String first = JobRequests.clientRequestToken("v1", Ladder.DEFAULT, null);
    assertThat(JobRequests.clientRequestToken("v1", Ladder.DEFAULT, null)).isEqualTo(first);
    assertThat(List.of(
        JobRequests.clientRequestToken("v2", Ladder.DEFAULT, null),
        JobRequests.clientRequestToken("v1", Ladder.parse("720:3500000"), null),
        JobRequests.clientRequestToken("v1", Ladder.DEFAULT, "1700000000000-failed")))
        .doesNotContain(first).doesNotHaveDuplicates();
  }

  @Test
  void plansVariantPlaylistKeysBesideTheMultivariantOne() {
    assertThat(JobRequests.renditions("v9", plan(1280, 720, 30, 1)))
        .extracting(r -> r.playlistKey())
        .containsExactly("media/v9/hls/index_720p.m3u8", "media/v9/hls/index_480p.m3u8", "media/v9/hls/index_360p.m3u8");
    assertThat(JobRequests.playlistKey("v9")).isEqualTo("media/v9/hls/index.m3u8");
  }
}
