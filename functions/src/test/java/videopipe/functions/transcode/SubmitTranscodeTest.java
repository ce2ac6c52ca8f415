package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.mediaconvert.model.Job;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;
import videopipe.functions.catalog.Catalog.TranscodeBinding;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * submitTranscode's idempotency on real parts (see {@link TranscodeFixture}): a retry or a redrive
 * brings a NEW task token and must never start a second MediaConvert job for the same video and
 * ladder. The job count is MediaConvert's own (ListJobs); the tokens are Step Functions' own, and
 * the proof that a token was re-bound is that the execution completes with it.
 */
@ExtendWith(LocalAwsExtension.class)
class SubmitTranscodeTest {

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

  private static void assertSucceededWithOutputs(DescribeExecutionResponse d, String videoId) {
    assertThat(d.status()).as(d.error() + ": " + d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode out = TranscodeFixture.JSON.readTree(d.output());
    assertThat(out.path("playlistKey").asString()).isEqualTo("media/" + videoId + "/hls/index.m3u8");
    assertThat(out.path("renditions")).isNotEmpty();
  }

  @Test
  void aRetryWithANewTokenWhileTheJobRunsRebindsItAndTheExecutionCompletesWithIt() throws Exception {
    TranscodeFixture.Video v = f.upload(Clip.MP4_FAST_START);
    f.loseResponses(v.id(), 1);
    String execution = f.start(v, clip);
    String first = f.token(v.id(), 1);
    String retry = f.token(v.id(), 2);
    assertThat(retry).isNotEqualTo(first);
    String jobId = f.submissions(v.id()).get(0).jobId();
    assertThat(f.submissions(v.id())).containsExactly(new Submission.Submitted(v.id(), jobId, null),
        new Submission.Rebound(v.id(), jobId));
    assertThat(f.catalog.transcodeBinding(v.id()).orElseThrow().taskToken()).isEqualTo(retry);

    assertThat(f.completed.apply(f.event(jobId, "COMPLETE"))).isEqualTo(new Completion.Answered(v.id(), jobId, "COMPLETE"));

    assertSucceededWithOutputs(f.awaitEnd(execution), v.id());
    assertThat(f.jobsOf(v.id())).extracting(Job::id).containsExactly(jobId);
  }

  @Test
  void aRedriveWhileTheJobRunsRebindsTheNewTokenAndTheExecutionCompletesWithIt() throws Exception {
    TranscodeFixture.Video v = f.upload(Clip.MP4_FAST_START);
    f.loseResponses(v.id(), 2);
    String execution = f.start(v, clip);
    DescribeExecutionResponse failed = f.awaitEnd(execution);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Lambda.ServiceException");
    f.catalog.markFailed(v.id(), execution, failed.error(), failed.cause());
    String jobId = f.submissions(v.id()).get(0).jobId();

    f.sfn.redriveExecution(b -> b.executionArn(execution));
    String redriven = f.token(v.id(), 3);

    assertThat(f.submissions(v.id()).get(2)).isEqualTo(new Submission.Rebound(v.id(), jobId));
    assertThat(f.catalog.transcodeBinding(v.id()).orElseThrow().taskToken()).isEqualTo(redriven);
    assertThat(f.completed.apply(f.event(jobId, "COMPLETE"))).isEqualTo(new Completion.Answered(v.id(), jobId, "COMPLETE"));
    assertSucceededWithOutputs(f.awaitEnd(execution), v.id());
    assertThat(f.jobsOf(v.id())).extracting(Job::id).containsExactly(jobId);
  }

  @Test
  void aRedriveAfterTheJobCompletedIsAnsweredAtOnceWithItsOutputs() throws Exception {
    TranscodeFixture.Video v = f.upload(Clip.MP4_FAST_START);
    f.loseResponses(v.id(), 2);
    String execution = f.start(v, clip);
    DescribeExecutionResponse failed = f.awaitEnd(execution);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    f.catalog.markFailed(v.id(), execution, failed.error(), failed.cause());
    String jobId = f.submissions(v.id()).get(0).jobId();
    // The job completes while the execution is failed: its event records the outputs, and the
    // token it finds no longer waits.
    Completion late = f.completed.apply(f.event(jobId, "COMPLETE"));
    assertThat(late).isInstanceOf(Completion.Ignored.class);
    assertThat(((Completion.Ignored) late).why()).contains("no longer waits");
    assertThat(f.catalog.transcodeBinding(v.id()).orElseThrow().outputs()).isNotNull();

    f.sfn.redriveExecution(b -> b.executionArn(execution));

    assertSucceededWithOutputs(f.awaitEnd(execution), v.id());
    assertThat(f.submissions(v.id()).get(2)).isEqualTo(new Submission.AnsweredAtOnce(v.id(), jobId, true));
    assertThat(f.jobsOf(v.id())).extracting(Job::id).containsExactly(jobId);
  }

  @Test
  void aRedriveAfterTheJobFailedSubmitsOneNewJobAndIgnoresTheOldJobsEvents() throws Exception {
    TranscodeFixture.Video v = f.upload("not a video at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String execution = f.start(v, clip);
    f.token(v.id(), 1);
    String oldJob = f.submissions(v.id()).get(0).jobId();
    EventBridgeEvent<JobStateChange> error = f.event(oldJob, "ERROR");
    f.completed.apply(error);
    DescribeExecutionResponse failed = f.awaitEnd(execution);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    f.catalog.markFailed(v.id(), execution, failed.error(), failed.cause());
    // The creator's file was replaced by a good one (the same key): the redrive re-runs the transcode.
    f.aws.s3Client().putObject(b -> b.bucket(f.aws.bucket()).key(v.key()),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(Clip.MP4_FAST_START.bytes()));

    f.sfn.redriveExecution(b -> b.executionArn(execution));
    f.token(v.id(), 2);
    Submission again = f.submissions(v.id()).get(1);
    assertThat(again).isInstanceOf(Submission.Submitted.class);
    assertThat(((Submission.Submitted) again).replacing()).isEqualTo(oldJob);
    String newJob = again.jobId();
    assertThat(newJob).isNotEqualTo(oldJob);

    Completion stale = f.completed.apply(error);
    assertThat(stale).isInstanceOf(Completion.Ignored.class);
    assertThat(((Completion.Ignored) stale).why()).isEqualTo("stale job: the video now names job " + newJob);
    assertThat(f.completed.apply(f.event(newJob, "COMPLETE"))).isEqualTo(new Completion.Answered(v.id(), newJob, "COMPLETE"));
    assertSucceededWithOutputs(f.awaitEnd(execution), v.id());
    assertThat(f.jobsOf(v.id())).extracting(Job::id).containsExactlyInAnyOrder(oldJob, newJob);
  }

  @Test
  void writesTheVideoAndTheExecutionIntoTheJobsUserMetadata() throws Exception {
    TranscodeFixture.Video v = f.upload("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String execution = f.start(v, clip);
    f.token(v.id(), 1);
    String jobId = f.submissions(v.id()).get(0).jobId();
    Job job = f.mediaConvert.getJob(b -> b.id(jobId)).job();
    assertThat(job.userMetadata()).containsEntry("videoId", v.id()).containsEntry("executionArn", execution)
        .containsEntry("videopipeStack", f.aws.tableName());
    assertThat(job.settings().inputs().get(0).fileInput()).isEqualTo("s3://" + f.aws.bucket() + "/" + v.key());
    TranscodeBinding b = f.catalog.transcodeBinding(v.id()).orElseThrow();
    assertThat(b.jobId()).isEqualTo(jobId);
    assertThat(b.ladder()).isEqualTo(Ladder.DEFAULT.fingerprint());
    f.sfn.stopExecution(s -> s.executionArn(execution));
  }

  @Test
  void refusesAnotherExecutionsVideo() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    assertThatThrownBy(() -> f.submit.apply(f.request(id, Uploads.executionArn(), "t")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is claimed by " + exec);
  }

  @Test
  void refusesARequestWithoutATaskToken() {
    assertThatThrownBy(() -> f.submit.apply(f.request("v", "e", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskToken");
  }

  @Test
  void failsNamingTheVariableWhenNoRoleIsConfigured() {
    SubmitTranscode unconfigured = new SubmitTranscode(f.catalog, f.mediaConvert, f.sfn, Ladder.DEFAULT,
        new JobRequests.Target(null, null, "media", null));
    assertThatThrownBy(() -> unconfigured.apply(f.request("v", "e", "t")))
        .hasMessageContaining("MEDIACONVERT_ROLE_ARN");
  }
}
