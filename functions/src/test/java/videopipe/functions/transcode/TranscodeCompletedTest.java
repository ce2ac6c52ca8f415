package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.mediaconvert.model.Job;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.testing.Clip;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * transcodeCompleted on real parts (see {@link TranscodeFixture}): the local MediaConvert's own
 * state-change events answer real task tokens, and the execution parked on
 * {@code .waitForTaskToken} ends with the answer. Whatever it cannot use is ignored with a reason,
 * never thrown (EventBridge would only retry it).
 */
@ExtendWith(LocalAwsExtension.class)
class TranscodeCompletedTest {

  private static TranscodeFixture f;
  private static VideoMetadata clip;

  @BeforeAll
  static void setUp(LocalAws aws) {
    f = new TranscodeFixture(aws);
    clip = TranscodeFixture.metadata(Clip.MP4_FAST_START);
  }

  @AfterAll
  static void tearDown() throws Exception {
    f.close();
  }

  /** An execution parked on the job of a source that is not a video: its job fails at once, no CPU spent. */
  private static String[] parkedOnAFailingJob() throws InterruptedException {
    TranscodeFixture.Video v = f.upload("not a video".getBytes(StandardCharsets.UTF_8));
    String execution = f.start(v, clip);
    f.token(v.id(), 1);
    return new String[] {v.id(), f.submissions(v.id()).get(0).jobId(), execution};
  }

  @Test
  void transcodesTheLadderAndTheExecutionSucceedsWithTheOutputsMediaConvertWrote() throws Exception {
    TranscodeFixture.Video v = f.upload(Clip.MP4_FAST_START);
    String execution = f.start(v, clip);
    f.token(v.id(), 1);
    String jobId = f.submissions(v.id()).get(0).jobId();

    assertThat(f.completed.apply(f.event(jobId, "COMPLETE"))).isEqualTo(new Completion.Answered(v.id(), jobId, "COMPLETE"));

    DescribeExecutionResponse d = f.awaitEnd(execution);
    assertThat(d.status()).as(d.error() + ": " + d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode outputs = TranscodeFixture.JSON.readTree(d.output());
    assertThat(outputs.path("bucket").asString()).isEqualTo(f.aws.bucket());
    for (String field : new String[] {"playlistKey", "mp4Key", "thumbnailKey"}) {
      String key = outputs.path(field).asString();
      assertThat(key).as(field).startsWith("media/" + v.id() + "/");
      assertThat(f.aws.s3Client().headObject(b -> b.bucket(f.aws.bucket()).key(key)).contentLength()).as(field)
          .isPositive();
    }
    String master = f.aws.s3Client().getObjectAsBytes(b -> b.bucket(f.aws.bucket())
        .key(outputs.path("playlistKey").asString())).asUtf8String();
    assertThat(master).startsWith("#EXTM3U").contains("#EXT-X-STREAM-INF");
    assertThat(outputs.path("renditions")).isNotEmpty();
    for (JsonNode r : outputs.path("renditions")) {
      assertThat(master).contains(r.path("playlistKey").asString().substring(("media/" + v.id() + "/hls/").length()));
    }
  }

  @Test
  void anErrorJobFailsTheTaskWithTheJobsCodeAndMessage() throws Exception {
    String[] p = parkedOnAFailingJob();
    EventBridgeEvent<JobStateChange> error = f.event(p[1], "ERROR");

    assertThat(f.completed.apply(error)).isEqualTo(new Completion.Answered(p[0], p[1], "ERROR"));

    Job job = f.mediaConvert.getJob(b -> b.id(p[1])).job();
    assertThat(job.errorCode()).isNotNull();
    DescribeExecutionResponse d = f.awaitEnd(p[2]);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("MediaConvert." + job.errorCode());
    assertThat(d.cause()).isEqualTo("MediaConvert job " + p[1] + " ERROR: " + job.errorMessage());
  }

  @Test
  void aCancelledJobFailsTheTask() throws Exception {
    String[] p = parkedOnAFailingJob();
    f.completed.apply(TranscodeFixture.event(p[1], p[0], "CANCELED", null, null, null));
    DescribeExecutionResponse d = f.awaitEnd(p[2]);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("MediaConvert.CANCELED");
  }

  @Test
  void aJobThatWroteNoPlaylistFailsTheTask() throws Exception {
    String[] p = parkedOnAFailingJob();
    f.completed.apply(TranscodeFixture.event(p[1], p[0], "COMPLETE", null, null, List.of()));
    DescribeExecutionResponse d = f.awaitEnd(p[2]);
    assertThat(d.error()).isEqualTo("MediaConvert.NoPlaylist");
  }

  @Test
  void aDuplicateEventIsIgnoredOnceTheTokenIsAnswered() throws Exception {
    String[] p = parkedOnAFailingJob();
    EventBridgeEvent<JobStateChange> error = f.event(p[1], "ERROR");
    f.completed.apply(error);
    f.awaitEnd(p[2]);
    Completion again = f.completed.apply(error);
    assertThat(again).isInstanceOf(Completion.Ignored.class);
    assertThat(((Completion.Ignored) again).why()).startsWith("the task token no longer waits (");
  }

  @Test
  void aProgressReportIsTheTasksHeartbeatWhileItsExecutionRuns() throws Exception {
    String[] p = parkedOnAFailingJob();
    EventBridgeEvent<JobStateChange> progress = TranscodeFixture.event(p[1], p[0], "STATUS_UPDATE", null, null, null);
    assertThat(f.completed.apply(progress)).isEqualTo(new Completion.Answered(p[0], p[1], "STATUS_UPDATE"));
    assertThat(f.sfn.describeExecution(b -> b.executionArn(p[2])).status()).isEqualTo(ExecutionStatus.RUNNING);

    f.completed.apply(f.event(p[1], "ERROR"));
    f.awaitEnd(p[2]);
    Completion afterTheEnd = f.completed.apply(progress);
    assertThat(afterTheEnd).isInstanceOf(Completion.Ignored.class);
    assertThat(((Completion.Ignored) afterTheEnd).why()).contains("no longer waits");
  }

  @Test
  void ignoresAnUnknownJobOfAKnownVideo() throws Exception {
    String[] p = parkedOnAFailingJob();
    Completion c = f.completed.apply(TranscodeFixture.event("1700000000000-nosuch", p[0], "COMPLETE", null, null,
        List.of()));
    assertThat(c).isEqualTo(new Completion.Ignored(p[0], "1700000000000-nosuch",
        "stale job: the video now names job " + p[1]));
    assertThat(f.sfn.describeExecution(b -> b.executionArn(p[2])).status()).isEqualTo(ExecutionStatus.RUNNING);
    f.sfn.stopExecution(b -> b.executionArn(p[2]));
  }

  @Test
  void ignoresAnUnknownVideo() {
    Completion c = f.completed.apply(TranscodeFixture.event("job-x", "vnosuchvideo", "COMPLETE", null, null, List.of()));
    assertThat(((Completion.Ignored) c).why()).isEqualTo("no such video in the catalog");
  }

  @Test
  void ignoresAJobWithoutOurUserMetadata() {
    Completion c = f.completed.apply(TranscodeFixture.event("job-y", null, "COMPLETE", null, null, List.of()));
    assertThat(((Completion.Ignored) c).why()).contains("no videoId");
  }

  @Test
  void ignoresOtherNonFinalStatuses() {
    Completion c = f.completed.apply(TranscodeFixture.event("job-z", "v1", "INPUT_INFORMATION", null, null, null));
    assertThat(((Completion.Ignored) c).why()).isEqualTo("status INPUT_INFORMATION is not final");
  }

  @Test
  void ignoresAnEventWithoutDetail() {
    assertThat(f.completed.apply(
        new EventBridgeEvent<JobStateChange>("0", "x", "y", "z", "a", "t", "r", List.of(), null)))
        .isInstanceOf(Completion.Ignored.class);
  }
}
