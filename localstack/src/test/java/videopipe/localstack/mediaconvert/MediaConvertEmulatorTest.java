package videopipe.localstack.mediaconvert;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.localstack.mediaconvert.MediaConvertWire.JSON;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.s3.S3Emulator;

/**
 * The local MediaConvert end to end, over its REST API, against the local S3 and EventBridge: a
 * ladder job really transcodes a generated clip into playable renditions, and what it cannot do
 * or was told to stop ends as MediaConvert ends it, with its state change on the default bus.
 */
class MediaConvertEmulatorTest {

  static final String BUCKET = "media";
  static final String SOURCE = "uploads/owner-1/video-1/source";
  /** The clip: 2 s, 320x180, 25 fps, with a stereo tone. */
  static final double CLIP_SECONDS = 2.0;
  static final double FRAME = 1 / 25.0;

  static S3Emulator s3Emulator;
  static S3Client s3;
  static EventBridgeEmulator eventBridge;
  static MediaConvertEmulator mediaConvert;
  static MediaConvertWire api;
  static final List<JsonNode> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    s3Emulator = S3Emulator.start(S3Emulator.Options.inMemory());
    s3 = S3Client.builder().endpointOverride(s3Emulator.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3Emulator.accessKey(), s3Emulator.secretKey())))
        .httpClient(UrlConnectionHttpClient.create()).build();
    s3.createBucket(b -> b.bucket(BUCKET));
    Path clip = dir.resolve("clip.mp4");
    Ffmpeg.get().run(List.of("-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=" + CLIP_SECONDS,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + CLIP_SECONDS,
        "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        clip.toString()), 60, TimeUnit.SECONDS);
    s3.putObject(b -> b.bucket(BUCKET).key(SOURCE), RequestBody.fromFile(clip));
    Path longClip = dir.resolve("long.mp4");
    Ffmpeg.get().run(List.of("-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=60",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", longClip.toString()), 60, TimeUnit.SECONDS);
    s3.putObject(b -> b.bucket(BUCKET).key("uploads/owner-1/long/source"), RequestBody.fromFile(longClip));
    eventBridge = EventBridgeEmulator.start(0, "us-east-1", "000000000000");
    eventBridge.subscribe("default",
        "{\"source\":[\"aws.mediaconvert\"],\"detail-type\":[\"MediaConvert Job State Change\"]}",
        e -> events.add(JSON.readTree(e)));
    mediaConvert = MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults().withConcurrency(2), s3,
        MediaConvertEmulator.toEventBridge(eventBridge, "default"));
    api = new MediaConvertWire(mediaConvert.endpoint());
  }

  @AfterAll
  static void stop() {
    mediaConvert.close();
    eventBridge.close();
    s3.close();
    s3Emulator.close();
  }

  static String request(String settings, String extra) {
    return """
        {"role":"arn:aws:iam::000000000000:role/MediaConvert","settings":%s,
         "userMetadata":{"videoId":"video-1"}%s}""".formatted(settings, extra);
  }

  /** Two H.264 renditions with AAC in one HLS group, an MP4 in a file group, a JPEG in another. */
  static String ladder(String input, String destination) {
    return """
        {"inputs":[{"fileInput":"s3://%1$s/%2$s","audioSelectors":{"Audio Selector 1":{"defaultSelection":"DEFAULT"}},
                    "videoSelector":{"rotate":"AUTO"},"timecodeSource":"ZEROBASED"}],
         "outputGroups":[
          {"name":"HLS","outputGroupSettings":{"type":"HLS_GROUP_SETTINGS",
             "hlsGroupSettings":{"destination":"s3://%1$s/%3$s","segmentLength":1,"minSegmentLength":0}},
           "outputs":[
            {"nameModifier":"_180p","containerSettings":{"container":"M3U8","m3u8Settings":{}},
             "videoDescription":{"width":320,"height":180,"codecSettings":{"codec":"H_264","h264Settings":
               {"rateControlMode":"QVBR","qvbrSettings":{"qvbrQualityLevel":7},"maxBitrate":600000,
                "codecProfile":"HIGH","sceneChangeDetect":"TRANSITION_DETECTION"}}},
             "audioDescriptions":[{"codecSettings":{"codec":"AAC","aacSettings":
               {"bitrate":96000,"sampleRate":48000,"codingMode":"CODING_MODE_2_0"}}}]},
            {"nameModifier":"_90p","containerSettings":{"container":"M3U8"},
             "videoDescription":{"width":160,"height":90,"codecSettings":{"codec":"H_264","h264Settings":
               {"rateControlMode":"CBR","bitrate":200000,"framerateControl":"SPECIFIED",
                "framerateNumerator":25,"framerateDenominator":1}}},
             "audioDescriptions":[{"codecSettings":{"codec":"AAC","aacSettings":
               {"bitrate":64000,"sampleRate":44100,"codingMode":"CODING_MODE_1_0"}}}]}]},
          {"name":"File","outputGroupSettings":{"type":"FILE_GROUP_SETTINGS",
             "fileGroupSettings":{"destination":"s3://%1$s/%3$sdownload"}},
           "outputs":[
            {"containerSettings":{"container":"MP4","mp4Settings":{"moovPlacement":"PROGRESSIVE_DOWNLOAD"}},
             "videoDescription":{"width":320,"height":180,"codecSettings":{"codec":"H_264","h264Settings":
               {"rateControlMode":"VBR","bitrate":500000,"maxBitrate":800000}}},
             "audioDescriptions":[{"codecSettings":{"codec":"AAC","aacSettings":
               {"bitrate":128000,"sampleRate":48000,"codingMode":"CODING_MODE_2_0"}}}]}]},
          {"name":"Thumbnail","outputGroupSettings":{"type":"FILE_GROUP_SETTINGS",
             "fileGroupSettings":{"destination":"s3://%1$s/%3$sposter"}},
           "outputs":[
            {"containerSettings":{"container":"RAW"},
             "videoDescription":{"width":160,"height":90,"codecSettings":{"codec":"FRAME_CAPTURE",
               "frameCaptureSettings":{"framerateNumerator":1,"framerateDenominator":1,"maxCaptures":1,"quality":80}}}}]}]}
        """.formatted(BUCKET, input, destination);
  }

  static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
  }

  static JsonNode awaitEvent(String jobId, String status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) {
        if (e.path("detail").path("jobId").asString().equals(jobId) && e.path("detail").path("status").asString().equals(status)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + status + " event for job " + jobId + " in " + events);
  }

  static Probe probeFromS3(Path dir, String prefix, String key) throws Exception {
    for (String k : keys(prefix)) {
      Path f = dir.resolve(k.substring(prefix.length()));
      if (Files.exists(f)) {
        continue;
      }
      s3.getObject(b -> b.bucket(BUCKET).key(k), f);
    }
    return Probe.of(dir.resolve(key.substring(prefix.length())));
  }

  @Test
  void transcodesAnHlsLadderAnMp4AndAThumbnailIntoS3(@TempDir Path dir) throws Exception {
    String prefix = "media/video-1/";
    JsonNode submitted = api.createJob(request(ladder(SOURCE, prefix), ""));
    assertThat(submitted.path("status").asString()).isIn("SUBMITTED", "PROGRESSING");
    assertThat(submitted.path("arn").asString()).isEqualTo("arn:aws:mediaconvert:us-east-1:000000000000:jobs/" + submitted.path("id").asString());
    String id = submitted.path("id").asString();
    JsonNode job = api.awaitStatus(id, Duration.ofSeconds(120), "COMPLETE", "ERROR", "CANCELED");
    assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("COMPLETE");
    assertThat(job.path("userMetadata").path("videoId").asString()).isEqualTo("video-1");
    assertThat(job.path("timing").path("finishTime").asLong()).isGreaterThanOrEqualTo(job.path("timing").path("startTime").asLong());

    // Named as MediaConvert names them: a destination folder takes the input's file name.
    assertThat(keys(prefix)).contains(prefix + "source.m3u8", prefix + "source_180p.m3u8", prefix + "source_90p.m3u8",
        prefix + "source_180p_00001.ts", prefix + "source_90p_00001.ts", prefix + "download.mp4",
        prefix + "poster.0000000.jpg");
    String master = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "source.m3u8")).asUtf8String();
    assertThat(master).startsWith("#EXTM3U").contains("RESOLUTION=320x180", "RESOLUTION=160x90",
        "\nsource_180p.m3u8\n", "\nsource_90p.m3u8\n", "mp4a.40.2");
    String variant = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "source_90p.m3u8")).asUtf8String();
    assertThat(variant).contains("#EXT-X-ENDLIST", "#EXTINF:", "source_90p_00001.ts");

    Probe hi = probeFromS3(dir, prefix, prefix + "source_180p.m3u8");
    Probe lo = probeFromS3(dir, prefix, prefix + "source_90p.m3u8");
    Probe mp4 = probeFromS3(dir, prefix, prefix + "download.mp4");
    assertThat(List.of(hi.width(), hi.height(), lo.width(), lo.height(), mp4.width(), mp4.height()))
        .containsExactly(320, 180, 160, 90, 320, 180);
    assertThat(List.of(hi.hasAudio(), lo.hasAudio(), mp4.hasAudio())).containsOnly(true);
    for (Probe p : List.of(hi, lo, mp4)) {
      assertThat(p.durationSeconds()).isCloseTo(CLIP_SECONDS, org.assertj.core.data.Offset.offset(2 * FRAME + 0.03));
    }
    byte[] jpeg = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "poster.0000000.jpg")).asByteArray();
    assertThat(jpeg[0]).isEqualTo((byte) 0xFF);
    assertThat(jpeg[1]).isEqualTo((byte) 0xD8);

    JsonNode event = awaitEvent(id, "COMPLETE");
    assertThat(event.path("source").asString()).isEqualTo("aws.mediaconvert");
    assertThat(event.path("detail-type").asString()).isEqualTo("MediaConvert Job State Change");
    assertThat(event.path("resources").get(0).asString()).isEqualTo(submitted.path("arn").asString());
    JsonNode detail = event.path("detail");
    assertThat(detail.path("accountId").asString()).isEqualTo("000000000000");
    assertThat(detail.path("queue").asString()).isEqualTo("arn:aws:mediaconvert:us-east-1:000000000000:queues/Default");
    assertThat(detail.path("timestamp").isIntegralNumber()).isTrue();
    assertThat(detail.path("userMetadata").path("videoId").asString()).isEqualTo("video-1");
    JsonNode hls = detail.path("outputGroupDetails").get(0);
    assertThat(hls.path("type").asString()).isEqualTo("HLS_GROUP");
    assertThat(hls.path("playlistFilePaths").get(0).asString()).isEqualTo("s3://media/" + prefix + "source.m3u8");
    assertThat(hls.path("outputDetails").get(0).path("outputFilePaths").get(0).asString())
        .isEqualTo("s3://media/" + prefix + "source_180p.m3u8");
    assertThat(hls.path("outputDetails").get(1).path("videoDetails").path("widthInPx").asInt()).isEqualTo(160);
    assertThat(hls.path("outputDetails").get(1).path("videoDetails").path("heightInPx").asInt()).isEqualTo(90);
    assertThat(hls.path("outputDetails").get(0).path("durationInMs").asInt()).isBetween(1900, 2100);
    JsonNode file = detail.path("outputGroupDetails").get(1);
    assertThat(file.path("type").asString()).isEqualTo("FILE_GROUP");
    assertThat(file.has("playlistFilePaths")).isFalse();
    assertThat(file.path("outputDetails").get(0).path("outputFilePaths").get(0).asString()).isEqualTo("s3://media/" + prefix + "download.mp4");
    assertThat(detail.path("outputGroupDetails").get(2).path("outputDetails").get(0).path("outputFilePaths").get(0).asString())
        .isEqualTo("s3://media/" + prefix + "poster.0000000.jpg");
    assertThat(awaitEvent(id, "PROGRESSING").path("detail").has("outputGroupDetails")).isFalse();
    // GetJob carries the API's OutputGroupDetail: durations and sizes, no paths.
    assertThat(job.path("outputGroupDetails").get(0).path("outputDetails").get(1).path("videoDetails").path("heightInPx").asInt()).isEqualTo(90);
  }

  @Test
  void failsAJobWithAnUnsupportedSettingNamingIt() throws Exception {
    String settings = ladder(SOURCE, "media/unsupported/").replaceFirst("\"codec\":\"H_264\",\"h264Settings\":\n? *\\{\"rateControlMode\":\"CBR\"",
        "\"codec\":\"AV1\",\"h264Settings\":{\"rateControlMode\":\"CBR\"");
    assertThat(settings).contains("\"codec\":\"AV1\"");
    String id = api.createJob(request(settings, "")).path("id").asString();
    JsonNode job = api.awaitStatus(id, Duration.ofSeconds(30), "COMPLETE", "ERROR");
    assertThat(job.path("status").asString()).isEqualTo("ERROR");
    assertThat(job.path("errorCode").asInt()).isEqualTo(1030);
    assertThat(job.path("errorMessage").asString())
        .isEqualTo("unsupported setting: outputGroups[0].outputs[1].videoDescription.codecSettings.codec = AV1");
    assertThat(job.has("outputGroupDetails")).isFalse();
    JsonNode event = awaitEvent(id, "ERROR");
    assertThat(event.path("detail").path("errorCode").asInt()).isEqualTo(1030);
    assertThat(event.path("detail").path("errorMessage").asString()).contains("codecSettings.codec = AV1");
    assertThat(keys("media/unsupported/")).isEmpty();
  }

  @Test
  void failsAJobWhoseInputIsMissing() throws Exception {
    String id = api.createJob(request(ladder("uploads/nobody/source", "media/missing/"), "")).path("id").asString();
    JsonNode job = api.awaitStatus(id, Duration.ofSeconds(30), "COMPLETE", "ERROR");
    assertThat(job.path("errorCode").asInt()).isEqualTo(1010);
    assertThat(job.path("errorMessage").asString()).contains("s3://media/uploads/nobody/source");
  }

  @Test
  void cancelsARunningJobLeavingNoOutputs() throws Exception {
    // 60 s upscaled to 720p at x264's medium preset: long enough to be caught running.
    tools.jackson.databind.node.ObjectNode tree = (tools.jackson.databind.node.ObjectNode)
        JSON.readTree(ladder("uploads/owner-1/long/source", "media/cancelled/"));
    for (JsonNode group : tree.path("outputGroups")) {
      for (JsonNode output : group.path("outputs")) {
        ((tools.jackson.databind.node.ObjectNode) output).remove("audioDescriptions");
        tools.jackson.databind.node.ObjectNode video = (tools.jackson.databind.node.ObjectNode) output.path("videoDescription");
        if (video.path("codecSettings").path("codec").asString().equals("H_264")) {
          video.put("width", 1280).put("height", 720);
          ((tools.jackson.databind.node.ObjectNode) video.path("codecSettings").path("h264Settings"))
              .put("qualityTuningLevel", "SINGLE_PASS_HQ");
        }
      }
    }
    String settings = tree.toString();
    String id = api.createJob(request(settings, "")).path("id").asString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode job = api.getJob(id);
    while (!(job.path("currentPhase").asString("").equals("TRANSCODING") && job.path("jobPercentComplete").asInt() >= 1)) {
      assertThat(System.nanoTime()).as("job never progressed: " + job).isLessThan(deadline);
      Thread.sleep(20);
      job = api.getJob(id);
    }
    assertThat(job.path("status").asString()).isEqualTo("PROGRESSING");
    assertThat(api.send("DELETE", "/2017-08-29/jobs/" + id, null).status()).isEqualTo(202);
    job = api.awaitStatus(id, Duration.ofSeconds(20), "CANCELED", "COMPLETE", "ERROR");
    assertThat(job.path("status").asString()).isEqualTo("CANCELED");
    assertThat(job.has("outputGroupDetails")).isFalse();
    assertThat(awaitEvent(id, "CANCELED").path("detail").has("outputGroupDetails")).isFalse();
    Thread.sleep(200);
    assertThat(keys("media/cancelled/")).isEmpty();
    MediaConvertWire.Reply again = api.send("DELETE", "/2017-08-29/jobs/" + id, null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorType()).isEqualTo("ConflictException");
  }

  @Test
  void answersTheSameJobForTheSameClientRequestToken() {
    String token = ", \"clientRequestToken\":\"token-123\"";
    String body = request(ladder("uploads/nobody/idempotent", "media/idempotent/"), token);
    String first = api.createJob(body).path("id").asString();
    String second = api.createJob(body).path("id").asString();
    assertThat(second).isEqualTo(first);
    JsonNode listed = api.send("GET", "/2017-08-29/jobs?maxResults=20", null).body().path("jobs");
    assertThat(listed.valueStream().filter(j -> j.path("id").asString().equals(first)).count()).isEqualTo(1);
    String other = api.createJob(request(ladder("uploads/nobody/idempotent", "media/idempotent/"),
        ", \"clientRequestToken\":\"token-456\"")).path("id").asString();
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void pagesListJobsNewestFirst() throws Exception {
    for (int i = 0; i < 3; i++) {
      api.createJob(request(ladder("uploads/nobody/list-" + i, "media/list/"), ""));
    }
    MediaConvertWire.Reply page = api.send("GET", "/2017-08-29/jobs?maxResults=2&order=DESCENDING", null);
    assertThat(page.body().path("jobs").size()).isEqualTo(2);
    String token = page.body().path("nextToken").asString();
    assertThat(token).isNotBlank();
    JsonNode jobs = page.body().path("jobs");
    assertThat(jobs.get(0).path("createdAt").asLong()).isGreaterThanOrEqualTo(jobs.get(1).path("createdAt").asLong());
    MediaConvertWire.Reply next = api.send("GET", "/2017-08-29/jobs?maxResults=2&nextToken=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8), null);
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body().path("jobs").size()).isGreaterThanOrEqualTo(1);
    assertThat(api.send("GET", "/2017-08-29/jobs?maxResults=21", null).errorType()).isEqualTo("BadRequestException");
  }

  @Test
  void answersErrorsAsTheRestJsonProtocolDoes() {
    MediaConvertWire.Reply missing = api.send("GET", "/2017-08-29/jobs/1700000000000-nosuch", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorType()).isEqualTo("NotFoundException");
    assertThat(missing.body().path("message").asString()).contains("1700000000000-nosuch");
    MediaConvertWire.Reply noRole = api.send("POST", "/2017-08-29/jobs", "{\"settings\":{}}");
    assertThat(noRole.status()).isEqualTo(400);
    assertThat(noRole.errorType()).isEqualTo("BadRequestException");
    assertThat(api.send("POST", "/2017-08-29/jobs", "not json").errorType()).isEqualTo("BadRequestException");
  }

  @Test
  void describesItsOwnEndpoint() {
    MediaConvertWire.Reply r = api.send("POST", "/2017-08-29/endpoints", "{}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("endpoints").get(0).path("url").asString()).isEqualTo(mediaConvert.endpoint().toString());
  }
}
