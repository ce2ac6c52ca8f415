package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import videopipe.functions.catalog.Catalog.TranscodeBinding;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * submitTranscode's idempotency against dynalite: a retry or a redrive brings a new task token and
 * must never start a second job for the same video and ladder. MediaConvert and Step Functions are
 * hand fakes until the local stack serves them (see {@link TranscodeJobs}).
 */
@ExtendWith(LocalAwsExtension.class)
class SubmitTranscodeTest {

  private static TranscodeFixture f;

  @BeforeAll
  static void setUp(LocalAws aws) {
    f = new TranscodeFixture(aws);
  }

  @Test
  void submitsOneJobAndBindsItWithTheTaskToken() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission s = f.submit.apply(TranscodeFixture.request(id, exec, "token-1"));
    assertThat(s).isInstanceOf(Submission.Submitted.class);
    TranscodeBinding b = f.catalog.transcodeBinding(id).orElseThrow();
    assertThat(b.jobId()).isEqualTo(s.jobId());
    assertThat(b.taskToken()).isEqualTo("token-1");
    assertThat(b.ladder()).isEqualTo(Ladder.DEFAULT.fingerprint());
    assertThat(b.renditions()).hasSize(3);
    assertThat(f.mediaConvert.created).filteredOn(r -> id.equals(r.userMetadata().get("videoId"))).hasSize(1);
  }

  @Test
  void submittingTwiceStartsOneJobAndRebindsTheNewToken() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "token-a"));
    f.mediaConvert.set(first.jobId(), "PROGRESSING", null, null);
    Submission second = f.submit.apply(TranscodeFixture.request(id, exec, "token-b"));
    assertThat(second).isEqualTo(new Submission.Rebound(id, first.jobId()));
    assertThat(f.catalog.transcodeBinding(id).orElseThrow().taskToken()).isEqualTo("token-b");
    assertThat(f.mediaConvert.created).filteredOn(r -> id.equals(r.userMetadata().get("videoId"))).hasSize(1);
  }

  @Test
  void rebindsAJobStillSubmitted() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "t1"));
    assertThat(f.submit.apply(TranscodeFixture.request(id, exec, "t2"))).isEqualTo(new Submission.Rebound(id, first.jobId()));
  }

  @Test
  void answersANewTokenAtOnceWhenTheJobAlreadyCompleted() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "old-token"));
    f.mediaConvert.set(first.jobId(), "COMPLETE", null, null);
    f.completed.apply(TranscodeFixture.complete(id, first.jobId()));
    Submission redrive = f.submit.apply(TranscodeFixture.request(id, exec, "redrive-token"));
    assertThat(redrive).isEqualTo(new Submission.AnsweredAtOnce(id, first.jobId(), true));
    assertThat(f.tokens.answers).filteredOn(a -> a.token().equals("redrive-token")).singleElement()
        .satisfies(a -> assertThat(a.payload()).contains("\"playlistKey\":\"media/" + id + "/hls/index.m3u8\""));
    assertThat(f.mediaConvert.created).filteredOn(r -> id.equals(r.userMetadata().get("videoId"))).hasSize(1);
  }

  @Test
  void rebindsAJobCompleteWhoseEventHasNotArrivedAndTheEventAnswersTheNewToken() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "lost-token"));
    f.mediaConvert.set(first.jobId(), "COMPLETE", null, null);
    assertThat(f.submit.apply(TranscodeFixture.request(id, exec, "new-token")))
        .isEqualTo(new Submission.Rebound(id, first.jobId()));
    assertThat(f.completed.apply(TranscodeFixture.complete(id, first.jobId())))
        .isEqualTo(new Completion.Answered(id, first.jobId(), "COMPLETE"));
    assertThat(f.tokens.answers).extracting(FakeTaskTokens.Answer::token).contains("new-token")
        .doesNotContain("lost-token");
  }

  @Test
  void submitsANewJobAfterTheFirstFailed() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "t1"));
    f.mediaConvert.set(first.jobId(), "ERROR", 1040, "input unreadable");
    Submission second = f.submit.apply(TranscodeFixture.request(id, exec, "t2"));
    assertThat(second).isInstanceOf(Submission.Submitted.class);
    assertThat(((Submission.Submitted) second).replacing()).isEqualTo(first.jobId());
    assertThat(second.jobId()).isNotEqualTo(first.jobId());
    TranscodeBinding b = f.catalog.transcodeBinding(id).orElseThrow();
    assertThat(b.jobId()).isEqualTo(second.jobId());
    assertThat(b.taskToken()).isEqualTo("t2");
  }

  @Test
  void submitsANewJobAfterTheFirstWasCancelled() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "t1"));
    f.mediaConvert.set(first.jobId(), "CANCELED", null, null);
    assertThat(f.submit.apply(TranscodeFixture.request(id, exec, "t2"))).isInstanceOf(Submission.Submitted.class);
  }

  @Test
  void redriveOfAFailedVideoRebindsItsRunningJob() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    Submission first = f.submit.apply(TranscodeFixture.request(id, exec, "t1"));
    f.mediaConvert.set(first.jobId(), "PROGRESSING", null, null);
    f.catalog.markFailed(id, exec, "States.Timeout", "the task timed out");
    assertThat(f.submit.apply(TranscodeFixture.request(id, exec, "t2"))).isEqualTo(new Submission.Rebound(id, first.jobId()));
  }

  @Test
  void refusesAnotherExecutionsVideo() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    assertThatThrownBy(() -> f.submit.apply(TranscodeFixture.request(id, Uploads.executionArn(), "t")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is claimed by " + exec);
  }

  @Test
  void refusesARequestWithoutATaskToken() {
    assertThatThrownBy(() -> f.submit.apply(TranscodeFixture.request("v", "e", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskToken");
  }

  @Test
  void writesUserMetadataAndATokenThatARetryRepeats() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    f.submit.apply(TranscodeFixture.request(id, exec, "t1"));
    var request = f.mediaConvert.created.stream().filter(r -> id.equals(r.userMetadata().get("videoId"))).findFirst()
        .orElseThrow();
    assertThat(request.userMetadata()).containsEntry("executionArn", exec);
    assertThat(request.clientRequestToken()).isEqualTo(JobRequests.clientRequestToken(id, Ladder.DEFAULT, null));
    assertThat(request.settings().inputs().get(0).fileInput()).isEqualTo("s3://uploads/uploads/alice/" + id + "/source");
  }

  @Test
  void failsNamingTheVariableWhenNoRoleIsConfigured() {
    SubmitTranscode unconfigured = new SubmitTranscode(f.catalog, f.mediaConvert, f.tokens, Ladder.DEFAULT,
        new JobRequests.Target(null, null, "media", null));
    assertThatThrownBy(() -> unconfigured.apply(TranscodeFixture.request("v", "e", "t")))
        .hasMessageContaining("MEDIACONVERT_ROLE_ARN");
  }
}
