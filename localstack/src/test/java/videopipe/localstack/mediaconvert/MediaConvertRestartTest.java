package videopipe.localstack.mediaconvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static videopipe.localstack.mediaconvert.MediaConvertWire.JSON;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.s3.S3Emulator;

/**
 * The local MediaConvert started again on its data directory, as the local stack restarts: a
 * video-ingest execution waits on a job's {@code MediaConvert Job State Change} event, so the job
 * must still be known after the restart, and a job that was running must run again and send it.
 * A job is caught PROGRESSING by holding its PROGRESSING event in the sink until the stop.
 */
class MediaConvertRestartTest {

  static final String BUCKET = "media";
  static final String SOURCE = "uploads/owner-1/clip/source";

  static S3Emulator s3Emulator;
  static S3Client s3;
  static EventBridgeEmulator eventBridge;
  /** Every event on the default bus. */
  static final List<JsonNode> onBus = new CopyOnWriteArrayList<>();

  /** Every event emitted, in the order the emulators emitted them. */
  final List<JsonNode> emitted = new CopyOnWriteArrayList<>();

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
        "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip.toString()), 60, TimeUnit.SECONDS);
    s3.putObject(b -> b.bucket(BUCKET).key(SOURCE), RequestBody.fromFile(clip));
    eventBridge = EventBridgeEmulator.start(0, "us-east-1", "000000000000");
    eventBridge.subscribe("default",
        "{\"source\":[\"aws.mediaconvert\"],\"detail-type\":[\"MediaConvert Job State Change\"]}",
        e -> onBus.add(JSON.readTree(e)));
  }

  @AfterAll
  static void stop() {
    eventBridge.close();
    s3.close();
    s3Emulator.close();
  }

  /** One MP4 rendition of the clip under {@code destination}, with the video's id as user metadata. */
  static String request(String destination, String videoId, String extra) {
    return """
        {"role":"arn:aws:iam::000000000000:role/MediaConvert","userMetadata":{"videoId":"%3$s"}%4$s,
         "settings":{"inputs":[{"fileInput":"s3://%1$s/%5$s"}],
          "outputGroups":[{"name":"File","outputGroupSettings":{"type":"FILE_GROUP_SETTINGS",
             "fileGroupSettings":{"destination":"s3://%1$s/%2$s"}},
           "outputs":[{"containerSettings":{"container":"MP4"},
             "videoDescription":{"width":160,"height":90,"codecSettings":{"codec":"H_264",
               "h264Settings":{"rateControlMode":"CBR","bitrate":200000}}}}]}]}}
        """.formatted(BUCKET, destination, videoId, extra, SOURCE);
  }

  /** Emits to the default bus, as the local stack does, and keeps the order of emission. */
  Consumer<MediaConvertEmulator.Event> toBus() {
    Consumer<MediaConvertEmulator.Event> bus = MediaConvertEmulator.toEventBridge(eventBridge, "default");
    return e -> {
      emitted.add(JSON.readTree(e.detail()));
      bus.accept(e);
    };
  }

  /** As {@link #toBus}, but the first PROGRESSING event holds its job there until the emulator stops. */
  Consumer<MediaConvertEmulator.Event> holdingTheFirstProgressing(CountDownLatch held) {
    Consumer<MediaConvertEmulator.Event> bus = toBus();
    return e -> {
      bus.accept(e);
      if (JSON.readTree(e.detail()).path("status").asString().equals("PROGRESSING") && held.getCount() > 0) {
        held.countDown();
        try {
          new CountDownLatch(1).await(); // until the stop interrupts the job's worker
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  static MediaConvertEmulator.Options onDisk(Path data) {
    return MediaConvertEmulator.Options.defaults().withDataDir(data);
  }

  JsonNode awaitEvent(String jobId, String status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (JsonNode e : onBus) {
        if (e.path("detail").path("jobId").asString().equals(jobId) && e.path("detail").path("status").asString().equals(status)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + status + " event for job " + jobId + " on the bus: " + onBus);
  }

  List<String> emittedStatuses(String jobId) {
    return emitted.stream().filter(d -> d.path("jobId").asString().equals(jobId))
        .map(d -> d.path("status").asString()).toList();
  }

  @Test
  void answersForACompleteJobAfterARestart(@TempDir Path data) throws Exception {
    String id;
    JsonNode before;
    try (MediaConvertEmulator first = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      MediaConvertWire api = new MediaConvertWire(first.endpoint());
      id = api.createJob(request("media/complete/", "video-complete", ",\"clientRequestToken\":\"token-1\""))
          .path("id").asString();
      before = api.awaitStatus(id, Duration.ofSeconds(60), "COMPLETE", "ERROR", "CANCELED");
      assertThat(before.path("status").asString()).as(before.toString()).isEqualTo("COMPLETE");
    }
    try (MediaConvertEmulator second = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      MediaConvertWire api = new MediaConvertWire(second.endpoint());
      assertThat(second.dataDirProblems()).isEmpty();
      assertThat(api.getJob(id)).isEqualTo(before);
      JsonNode listed = api.send("GET", "/2017-08-29/jobs?status=COMPLETE", null).body().path("jobs");
      assertThat(listed.valueStream().map(j -> j.path("id").asString()).toList()).containsExactly(id);
      assertThat(listed.get(0)).isEqualTo(before);
      // The client request token still answers the job it created.
      assertThat(api.createJob(request("media/complete/", "video-complete", ",\"clientRequestToken\":\"token-1\""))
          .path("id").asString()).isEqualTo(id);
      MediaConvertWire.Reply cancel = api.send("DELETE", "/2017-08-29/jobs/" + id, null);
      assertThat(cancel.errorType()).isEqualTo("ConflictException");
    }
    assertThat(emittedStatuses(id)).containsExactly("PROGRESSING", "COMPLETE");
  }

  @Test
  void runsAgainInTheirOrderTheJobsThatWereRunningWhenItStopped(@TempDir Path data) throws Exception {
    String running;
    String queued;
    CountDownLatch held = new CountDownLatch(1);
    try (MediaConvertEmulator first = MediaConvertEmulator.start(onDisk(data), s3, holdingTheFirstProgressing(held))) {
      MediaConvertWire api = new MediaConvertWire(first.endpoint());
      running = api.createJob(request("media/rerun-1/", "video-rerun-1", "")).path("id").asString();
      assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
      queued = api.createJob(request("media/rerun-2/", "video-rerun-2", "")).path("id").asString();
      assertThat(api.getJob(running).path("status").asString()).isEqualTo("PROGRESSING");
      assertThat(api.getJob(queued).path("status").asString()).isEqualTo("SUBMITTED");
    }
    // Stopped with the stack, not canceled: nothing said otherwise.
    assertThat(emittedStatuses(running)).containsExactly("PROGRESSING");
    assertThat(emittedStatuses(queued)).isEmpty();

    try (MediaConvertEmulator second = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      MediaConvertWire api = new MediaConvertWire(second.endpoint());
      JsonNode complete = awaitEvent(running, "COMPLETE").path("detail");
      assertThat(complete.path("userMetadata").path("videoId").asString()).isEqualTo("video-rerun-1");
      assertThat(complete.path("outputGroupDetails").get(0).path("outputDetails").get(0).path("outputFilePaths").get(0)
          .asString()).isEqualTo("s3://media/media/rerun-1/source.mp4");
      assertThat(awaitEvent(queued, "COMPLETE").path("detail").path("userMetadata").path("videoId").asString())
          .isEqualTo("video-rerun-2");
      assertThat(api.getJob(running).path("status").asString()).isEqualTo("COMPLETE");
      assertThat(api.getJob(queued).path("status").asString()).isEqualTo("COMPLETE");
    }
    assertThat(emittedStatuses(running)).containsExactly("PROGRESSING", "PROGRESSING", "COMPLETE");
    assertThat(emittedStatuses(queued)).containsExactly("PROGRESSING", "COMPLETE");
    // One job at a time, as created: the second starts once the first is done.
    List<String> order = emitted.stream().map(d -> d.path("jobId").asString() + " " + d.path("status").asString()).toList();
    assertThat(order.lastIndexOf(running + " COMPLETE")).isLessThan(order.indexOf(queued + " PROGRESSING"));
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("media/rerun-2/source.mp4")).contentLength()).isPositive();
  }

  @Test
  void cancelsAJobReadBackBeforeItRunsAgain(@TempDir Path data) throws Exception {
    String id;
    CountDownLatch held = new CountDownLatch(1);
    try (MediaConvertEmulator first = MediaConvertEmulator.start(onDisk(data), s3, holdingTheFirstProgressing(held))) {
      id = new MediaConvertWire(first.endpoint()).createJob(request("media/cancel/", "video-cancel", ""))
          .path("id").asString();
      assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try (MediaConvertEmulator second = MediaConvertEmulator.start(onDisk(data).withRerunAfter(ready), s3, toBus())) {
      MediaConvertWire api = new MediaConvertWire(second.endpoint());
      assertThat(api.getJob(id).path("status").asString()).isEqualTo("SUBMITTED");
      assertThat(api.send("DELETE", "/2017-08-29/jobs/" + id, null).status()).isEqualTo(202);
      assertThat(api.getJob(id).path("status").asString()).isEqualTo("CANCELED");
      assertThat(awaitEvent(id, "CANCELED").path("detail").path("userMetadata").path("videoId").asString())
          .isEqualTo("video-cancel");
      ready.complete(null);
    }
    try (MediaConvertEmulator third = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      assertThat(new MediaConvertWire(third.endpoint()).getJob(id).path("status").asString()).isEqualTo("CANCELED");
    }
    assertThat(emittedStatuses(id)).containsExactly("PROGRESSING", "CANCELED");
  }

  @Test
  void setsAsideAJobFileItCannotReadAndLoadsTheOthers(@TempDir Path data) throws Exception {
    String id;
    try (MediaConvertEmulator first = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      MediaConvertWire api = new MediaConvertWire(first.endpoint());
      id = api.createJob(request("media/aside/", "video-aside", "")).path("id").asString();
      api.awaitStatus(id, Duration.ofSeconds(60), "COMPLETE", "ERROR", "CANCELED");
    }
    String saved = Files.readString(data.resolve(id + ".json"));
    Path cut = data.resolve("1700000000000-cutcut.json");
    Files.writeString(cut, saved.substring(0, saved.length() / 2));
    Path foreign = data.resolve("1700000000001-foreig.json");
    Files.writeString(foreign, saved.replace("\"id\":\"" + id + "\"", "\"id\":\"../" + id + "\""));

    try (MediaConvertEmulator second = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      assertThat(new MediaConvertWire(second.endpoint()).getJob(id).path("status").asString()).isEqualTo("COMPLETE");
      assertThat(second.dataDirProblems()).hasSize(2);
      assertThat(second.dataDirProblems().get(0)).contains(cut.toString(), cut + ".unreadable");
      assertThat(second.dataDirProblems().get(1)).contains(foreign.toString(), "is not a MediaConvert job id");
    }
    assertThat(cut).doesNotExist();
    assertThat(foreign).doesNotExist();
    assertThat(Path.of(cut + ".unreadable")).hasContent(saved.substring(0, saved.length() / 2));
    assertThat(Path.of(foreign + ".unreadable")).exists();
    try (MediaConvertEmulator third = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      assertThat(third.dataDirProblems()).isEmpty();
    }
  }

  @Test
  void refusesADataDirectoryAnotherEmulatorHolds(@TempDir Path data) throws Exception {
    try (MediaConvertEmulator first = MediaConvertEmulator.start(onDisk(data), s3, toBus())) {
      assertThatThrownBy(() -> MediaConvertEmulator.start(onDisk(data), s3, toBus()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(data.toString()).hasMessageContaining("in use by another local MediaConvert");
    }
  }

  @Test
  void inMemoryAStopStillCancelsTheRunningJob() throws Exception {
    String id;
    CountDownLatch held = new CountDownLatch(1);
    try (MediaConvertEmulator first = MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults(), s3,
        holdingTheFirstProgressing(held))) {
      id = new MediaConvertWire(first.endpoint()).createJob(request("media/memory/", "video-memory", ""))
          .path("id").asString();
      assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(emittedStatuses(id)).containsExactly("PROGRESSING", "CANCELED");
    try (MediaConvertEmulator second = MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults(), s3, toBus())) {
      assertThat(new MediaConvertWire(second.endpoint()).send("GET", "/2017-08-29/jobs/" + id, null).errorType())
          .isEqualTo("NotFoundException");
      assertThat(second.dataDirProblems()).isEmpty();
    }
  }
}
