package videopipe.statemachines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/**
 * The event patterns, matched by Event Ruler (the library EventBridge uses) against events in the
 * shapes the S3, MediaConvert and Step Functions guides document for EventBridge. A pattern that
 * matches too much starts work nobody asked for; too little, and uploads are never processed.
 */
class EventPatternsTest {

  static boolean matches(String pattern, String event) throws Exception {
    Machine m = new Machine();
    m.addRule("rule", pattern);
    return !m.rulesForJSONEvent(event).isEmpty();
  }

  static String upload() {
    return StateMachineDefinitions.pattern("upload-object-created", Map.of("MediaBucket", "videopipe-dev-media"));
  }

  static String s3(String bucket, String key) {
    return """
        {"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created",
         "source": "aws.s3", "account": "123456789012", "time": "2026-11-24T12:00:00Z", "region": "us-east-1",
         "resources": ["arn:aws:s3:::%s"],
         "detail": {"version": "0", "bucket": {"name": "%s"},
                    "object": {"key": "%s", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184", "sequencer": "00617F08299329D189"},
                    "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012", "reason": "PutObject"}}"""
        .formatted(bucket, bucket, key);
  }

  @Test
  void startsIngestForAnUploadedSource() throws Exception {
    assertThat(matches(upload(), s3("videopipe-dev-media", "uploads/o-1/v-42abcd/source"))).isTrue();
  }

  @Test
  void startsIngestForAnOwnerIdThatS3Encoded() throws Exception {
    assertThat(matches(upload(), s3("videopipe-dev-media", "uploads/user%40example.com/v-42abcd/source"))).isTrue();
  }

  @Test
  void ignoresCaptionSidecars() throws Exception {
    assertThat(matches(upload(), s3("videopipe-dev-media", "uploads/o-1/v-42abcd/captions/en.vtt"))).isFalse();
    assertThat(matches(upload(), s3("videopipe-dev-media", "uploads/o-1/v-42abcd/source.srt"))).isFalse();
  }

  @Test
  void ignoresRenditionsAndOtherStacksBuckets() throws Exception {
    assertThat(matches(upload(), s3("videopipe-dev-media", "media/v-42abcd/hls/index.m3u8"))).isFalse();
    assertThat(matches(upload(), s3("videopipe-prod-media", "uploads/o-1/v-42abcd/source"))).isFalse();
  }

  static String job(String status, String stack) {
    return """
        {"version": "0", "id": "1", "detail-type": "MediaConvert Job State Change", "source": "aws.mediaconvert",
         "account": "123456789012", "time": "2026-11-24T12:00:00Z", "region": "us-east-1",
         "resources": ["arn:aws:mediaconvert:us-east-1:123456789012:jobs/1637-abc"],
         "detail": {"timestamp": 1, "accountId": "123456789012", "queue": "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default",
                    "jobId": "1637-abc", "status": "%s", "userMetadata": {"videopipeStack": "%s", "videoId": "v-42abcd"}}}"""
        .formatted(status, stack);
  }

  @Test
  void feedsTranscodeCompletedWithThisStacksJobEvents() throws Exception {
    String pattern = StateMachineDefinitions.pattern("transcode-job-state-change", Map.of("StackName", "dev"));
    assertThat(matches(pattern, job("COMPLETE", "dev"))).isTrue();
    assertThat(matches(pattern, job("ERROR", "dev"))).isTrue();
    assertThat(matches(pattern, job("STATUS_UPDATE", "dev"))).as("progress, for heartbeats").isTrue();
    assertThat(matches(pattern, job("COMPLETE", "prod"))).isFalse();
    assertThat(matches(pattern, job("SUBMITTED", "dev"))).isFalse();
  }

  static String transcription(String status, String jobName) {
    return """
        {"version": "0", "id": "1", "detail-type": "Transcribe Job State Change", "source": "aws.transcribe",
         "account": "123456789012", "time": "2026-11-24T12:00:00Z", "region": "us-east-1", "resources": [],
         "detail": {"TranscriptionJobName": "%s", "TranscriptionJobStatus": "%s"}}"""
        .formatted(jobName, status);
  }

  @Test
  void feedsTranscriptionCompletedWithThisStacksFinishedTranscribeJobs() throws Exception {
    String pattern = StateMachineDefinitions.pattern("transcription-job-state-change", Map.of("StackName", "dev"));
    assertThat(matches(pattern, transcription("COMPLETED", "videopipe-dev-v-42abcd"))).isTrue();
    assertThat(matches(pattern, transcription("FAILED", "videopipe-dev-v-42abcd"))).isTrue();
    assertThat(matches(pattern, transcription("IN_PROGRESS", "videopipe-dev-v-42abcd"))).isFalse();
    assertThat(matches(pattern, transcription("COMPLETED", "videopipe-prod-v-42abcd"))).isFalse();
    assertThat(matches(pattern, transcription("COMPLETED", "videopipe-dev2-v-42abcd"))).as("a stack named like a prefix")
        .isFalse();
  }

  static String execution(String status, String machine) {
    return """
        {"version": "0", "id": "1", "detail-type": "Step Functions Execution Status Change", "source": "aws.states",
         "account": "123456789012", "time": "2026-11-24T12:00:00Z", "region": "us-east-1",
         "resources": ["arn:aws:states:us-east-1:123456789012:execution:%s:run-1"],
         "detail": {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:%s:run-1",
                    "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:%s",
                    "name": "run-1", "status": "%s", "startDate": 1, "stopDate": 2, "input": "{}", "output": null}}"""
        .formatted(machine, machine, machine, status);
  }

  @Test
  void feedsRecordFailureWithFailedTimedOutAndAbortedIngests() throws Exception {
    String pattern = StateMachineDefinitions.pattern("execution-failed",
        Map.of("VideoIngestArn", "arn:aws:states:us-east-1:123456789012:stateMachine:videopipe-dev-video-ingest"));
    for (String status : new String[] {"FAILED", "TIMED_OUT", "ABORTED"}) {
      assertThat(matches(pattern, execution(status, "videopipe-dev-video-ingest"))).as(status).isTrue();
    }
    assertThat(matches(pattern, execution("SUCCEEDED", "videopipe-dev-video-ingest"))).isFalse();
    assertThat(matches(pattern, execution("FAILED", "videopipe-prod-video-ingest"))).isFalse();
  }
}
