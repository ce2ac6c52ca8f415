package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import videopipe.statemachines.StateMachineDefinitions;

/**
 * The real video-ingest definition, loaded as Pulumi loads it, driven end to end with in-process
 * functions that keep the pipeline's contracts (validateUpload → {outcome, …}, extractMetadata,
 * submitTranscode answered through its task token as transcodeCompleted does, attachCaptions →
 * {captions}, publishVideo). The contract of attachCaptions is assumed here (its bean does not
 * exist yet).
 */
class VideoIngestTest {

  static final String EVENT = """
      {"detail-type": "Object Created", "source": "aws.s3",
       "detail": {"bucket": {"name": "media"}, "object": {"key": "uploads/o-1/v-42/source", "etag": "e1", "sequencer": "01"}}}""";

  /** The pipeline's functions, with switches for the failures a test wants. */
  static final class Pipeline {
    final AtomicReference<Engine> engine = new AtomicReference<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicReference<Map<?, ?>> published = new AtomicReference<>();
    volatile String validation = "ACCEPTED";
    final AtomicInteger transientExtractions = new AtomicInteger();
    final AtomicBoolean publishBroken = new AtomicBoolean();

    TaskInvoker invoker() {
      return (function, payload) -> {
        String name = function.substring(function.lastIndexOf('-') + 1);
        calls.add(name);
        Map<?, ?> p = (Map<?, ?>) payload;
        try {
          return CompletableFuture.completedFuture(new Invocation.Returned(run(name, p)));
        } catch (TaskInvoker.TaskFailure f) {
          return CompletableFuture.completedFuture(new Invocation.Failed(f.error(), f.cause()));
        }
      };
    }

    private Object run(String name, Map<?, ?> p) {
      switch (name) {
        case "ValidateUpload":
          assertThat(p.get("executionArn")).asString().contains(":execution:video-ingest:");
          return validation.equals("ACCEPTED")
              ? Map.of("outcome", "ACCEPTED", "videoId", "v-42", "ownerId", "o-1", "bucket", "media",
                  "key", "uploads/o-1/v-42/source", "container", "MP4", "bytes", 1000, "etag", "e1")
              : Map.of("outcome", validation, "videoId", "v-42", "reason", "NOT_A_VIDEO", "detail", "an executable");
        case "ExtractMetadata":
          if (transientExtractions.getAndDecrement() > 0) {
            throw new TaskInvoker.TaskFailure("videopipe.functions.TransientFailure", "{\"errorMessage\":\"SlowDown\"}");
          }
          return Map.of("outcome", "EXTRACTED", "videoId", p.get("videoId"), "ownerId", "o-1", "bucket", "media",
              "key", "uploads/o-1/v-42/source", "metadata", Map.of("durationSeconds", 1, "width", 160, "height", 90));
        case "SubmitTranscode": {
          String token = (String) p.get("taskToken");
          // transcodeCompleted, later, on MediaConvert's COMPLETE event.
          CompletableFuture.runAsync(() -> engine.get().sendTaskSuccess(token,
              "{\"bucket\": \"media\", \"playlistKey\": \"v-42/hls/index.m3u8\", \"mp4Key\": \"v-42/v.mp4\","
                  + " \"thumbnailKey\": \"v-42/t.jpg\", \"renditions\": []}"));
          return Map.of("jobId", "job-1");
        }
        case "AttachCaptions":
          return Map.of("captions", List.of(Map.of("lang", "en", "label", "English", "key", "v-42/en.vtt")));
        default:
          if (publishBroken.get()) {
            throw new TaskInvoker.TaskFailure("java.lang.IllegalStateException", "{\"errorMessage\":\"bug\"}");
          }
          published.set(p);
          return Map.of("videoId", p.get("videoId"), "status", "READY");
      }
    }
  }

  /** Function ARNs as Pulumi passes them; the fake functions are told apart by the name's last part. */
  static Map<String, String> arns() {
    Map<String, String> m = new java.util.HashMap<>();
    for (String f : new String[] {"ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo"}) {
      m.put(f + "Arn", "arn:aws:lambda:us-east-1:123456789012:function:videopipe-dev-" + f);
    }
    return m;
  }

  static Harness harness(Pipeline pipeline) {
    Harness h = new Harness(pipeline.invoker());
    pipeline.engine.set(h.engine);
    return h;
  }

  static Execution start(Harness h, String name) {
    StateMachine sm = h.engine.register("video-ingest",
        StateMachineDefinitions.load("video-ingest", arns()).definition(), Harness.ROLE);
    return h.engine.start(sm, name, EVENT);
  }

  @Test
  void publishesAnAcceptedUpload() {
    Pipeline p = new Pipeline();
    try (Harness h = harness(p)) {
      Execution done = h.await(start(h, "happy").arn());
      assertThat(done.status()).as("%s", done.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo(Map.of("videoId", "v-42", "status", "READY"));
      Harness.assertJson(p.published.get(), """
          {"videoId": "v-42", "executionArn": "%s",
           "outputs": {"bucket": "media", "playlistKey": "v-42/hls/index.m3u8", "mp4Key": "v-42/v.mp4",
                       "thumbnailKey": "v-42/t.jpg", "renditions": []},
           "captions": [{"lang": "en", "label": "English", "key": "v-42/en.vtt"}]}""".formatted(done.arn()));
    }
  }

  @Test
  void endsARejectedUploadSuccessfullyWithoutProcessingIt() {
    Pipeline p = new Pipeline();
    p.validation = "REJECTED";
    try (Harness h = harness(p)) {
      Execution done = h.await(start(h, "rejected").arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(((Map<?, ?>) done.output()).get("outcome")).isEqualTo("REJECTED");
      assertThat(p.calls).containsExactly("ValidateUpload");
      assertThat(done.redrivable()).isFalse();
    }
  }

  @Test
  void endsADuplicateEventSuccessfully() {
    Pipeline p = new Pipeline();
    p.validation = "DUPLICATE";
    try (Harness h = harness(p)) {
      Execution done = h.await(start(h, "duplicate").arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(p.calls).containsExactly("ValidateUpload");
    }
  }

  @Test
  void retriesATransientErrorWithJitteredBackoff() {
    Pipeline p = new Pipeline();
    p.transientExtractions.set(2);
    try (Harness h = harness(p)) {
      Execution done = h.await(start(h, "transient").arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(p.calls).filteredOn("ExtractMetadata"::equals).hasSize(3);
      // IntervalSeconds 2, BackoffRate 2, FULL jitter with the harness's draw of 0.5: 1 s, then 2 s.
      assertThat(h.timer.waits).containsExactly(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));
    }
  }

  @Test
  void failsAtPublishThenARedriveRunsOnlyPublishAgain() {
    Pipeline p = new Pipeline();
    p.publishBroken.set(true);
    try (Harness h = harness(p)) {
      Execution failed = h.await(start(h, "broken-publish").arn());
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.failedAt().state()).isEqualTo("Publish");
      assertThat(failed.error().get().error()).isEqualTo("java.lang.IllegalStateException");

      p.publishBroken.set(false);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(p.calls).containsExactlyInAnyOrder("ValidateUpload", "ExtractMetadata", "SubmitTranscode",
          "AttachCaptions", "PublishVideo", "PublishVideo");
      assertThat(RedriveTest.entered(done, "Publish")).isEqualTo(2);
      assertThat(RedriveTest.entered(done, "Process")).isEqualTo(1);
      assertThat(Harness.types(done)).filteredOn("ExecutionRedriven"::equals).hasSize(1);
    }
  }
}
