package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.publish.MediaOutputs;
import videopipe.functions.publish.Rendition;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * transcodeCompleted against dynalite with MediaConvert's real event shapes: it answers the token
 * bound at that moment, and everything it cannot use is ignored with a reason, never thrown
 * (EventBridge would only retry it).
 */
@ExtendWith(LocalAwsExtension.class)
class TranscodeCompletedTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TranscodeFixture f;

  @BeforeAll
  static void setUp(LocalAws aws) {
    f = new TranscodeFixture(aws);
  }

  private String[] submitted(String token) {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    return new String[] {id, f.submit.apply(TranscodeFixture.request(id, exec, token)).jobId()};
  }

  private FakeTaskTokens.Answer answerFor(String token) {
    return f.tokens.answers.stream().filter(a -> a.token().equals(token)).findFirst().orElseThrow();
  }

  @Test
  void answersSuccessWithPlaylistMp4PosterAndRenditions() {
    String[] v = submitted("ok-token");
    assertThat(f.completed.apply(TranscodeFixture.complete(v[0], v[1])))
        .isEqualTo(new Completion.Answered(v[0], v[1], "COMPLETE"));
    MediaOutputs out = JSON.readValue(answerFor("ok-token").payload(), MediaOutputs.class);
    String p = "media/" + v[0] + "/";
    assertThat(out.bucket()).isEqualTo("media");
    assertThat(out.playlistKey()).isEqualTo(p + "hls/index.m3u8");
    assertThat(out.mp4Key()).isEqualTo(p + "download.mp4");
    assertThat(out.thumbnailKey()).isEqualTo(p + "poster.0000001.jpg");
    assertThat(out.renditions()).containsExactly(
        new Rendition("720p", 1280, 720, 3_500_000, p + "hls/index_720p.m3u8"),
        new Rendition("480p", 854, 480, 1_500_000, p + "hls/index_480p.m3u8"),
        new Rendition("360p", 640, 360, 800_000, p + "hls/index_360p.m3u8"));
    assertThat(f.catalog.transcodeBinding(v[0]).orElseThrow().outputs()).containsEntry("playlistKey", p + "hls/index.m3u8");
  }

  @Test
  void answersFailureWithTheJobsErrorCodeAndMessage() {
    String[] v = submitted("err-token");
    assertThat(f.completed.apply(TranscodeFixture.event(v[1], v[0], "ERROR", 1040, "Example error message", null)))
        .isEqualTo(new Completion.Answered(v[0], v[1], "ERROR"));
    assertThat(answerFor("err-token")).satisfies(a -> {
      assertThat(a.success()).isFalse();
      assertThat(a.payload()).startsWith("MediaConvert.1040: ").contains("Example error message");
    });
  }

  @Test
  void answersFailureForACancelledJob() {
    String[] v = submitted("cancel-token");
    f.completed.apply(TranscodeFixture.event(v[1], v[0], "CANCELED", null, null, null));
    assertThat(answerFor("cancel-token").payload()).startsWith("MediaConvert.CANCELED");
  }

  @Test
  void ignoresAStaleJobReplacedAfterAnError() {
    String exec = Uploads.executionArn();
    String id = f.processing(exec);
    String old = f.submit.apply(TranscodeFixture.request(id, exec, "t1")).jobId();
    f.mediaConvert.set(old, "ERROR", 1999, "boom");
    String current = f.submit.apply(TranscodeFixture.request(id, exec, "t2")).jobId();
    Completion c = f.completed.apply(TranscodeFixture.complete(id, old));
    assertThat(c).isInstanceOf(Completion.Ignored.class);
    assertThat(((Completion.Ignored) c).why()).contains("stale job").contains(current);
    assertThat(f.catalog.transcodeBinding(id).orElseThrow().outputs()).isNull();
  }

  @Test
  void ignoresAnUnknownVideo() {
    Completion c = f.completed.apply(TranscodeFixture.complete("vnosuchvideo", "job-x"));
    assertThat(((Completion.Ignored) c).why()).isEqualTo("no such video in the catalog");
  }

  @Test
  void ignoresAJobWithoutOurUserMetadata() {
    Completion c = f.completed.apply(TranscodeFixture.event("job-y", null, "COMPLETE", null, null, List.of()));
    assertThat(((Completion.Ignored) c).why()).contains("no videoId");
  }

  @Test
  void sendsAHeartbeatForEachProgressReport() {
    String[] v = submitted("progress-token");
    Completion c = f.completed.apply(TranscodeFixture.event(v[1], v[0], "STATUS_UPDATE", null, null, null));
    assertThat(c).isEqualTo(new Completion.Answered(v[0], v[1], "STATUS_UPDATE"));
    assertThat(f.tokens.heartbeats).contains("progress-token");
    assertThat(f.tokens.answers).noneMatch(a -> a.token().equals("progress-token"));
  }

  @Test
  void ignoresOtherNonFinalStatuses() {
    String[] v = submitted("input-info-token");
    Completion c = f.completed.apply(TranscodeFixture.event(v[1], v[0], "INPUT_INFORMATION", null, null, null));
    assertThat(((Completion.Ignored) c).why()).isEqualTo("status INPUT_INFORMATION is not final");
    assertThat(f.tokens.heartbeats).doesNotContain("input-info-token");
  }

  @Test
  void ignoresATokenThatNoLongerWaits() {
    String[] v = submitted("expired-token");
    f.tokens.expire("expired-token");
    Completion c = f.completed.apply(TranscodeFixture.complete(v[0], v[1]));
    assertThat(((Completion.Ignored) c).why()).contains("no longer waits").contains("TaskTimedOut");
  }

  @Test
  void aDuplicateEventIsIgnoredOnceTheTokenIsAnswered() {
    String[] v = submitted("dup-token");
    f.completed.apply(TranscodeFixture.complete(v[0], v[1]));
    assertThat(f.completed.apply(TranscodeFixture.complete(v[0], v[1]))).isInstanceOf(Completion.Ignored.class);
  }

  @Test
  void ignoresAnEventWithoutDetail() {
    assertThat(f.completed.apply(new JobStateChangeEvent("0", "x", "y", "z", "a", "t", "r", List.of(), null)))
        .isInstanceOf(Completion.Ignored.class);
  }

  @Test
  void failsTheTaskWhenTheJobWroteNoPlaylist() {
    String[] v = submitted("noplaylist-token");
    f.completed.apply(TranscodeFixture.event(v[1], v[0], "COMPLETE", null, null, List.of()));
    assertThat(answerFor("noplaylist-token").payload()).startsWith("MediaConvert.NoPlaylist");
  }
}
