package videopipe.functions.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ExecutionStatusChange;
import videopipe.functions.events.SourceKey;
import videopipe.functions.events.VideoEvents;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * recordFailure against dynalite and the local EventBridge, with the status-change events Step
 * Functions emits: a failed execution marks its video FAILED and says so; anything else is
 * ignored with a reason, never thrown (EventBridge would only retry it).
 */
@ExtendWith(LocalAwsExtension.class)
class RecordFailureTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Catalog catalog;
  private static RecordFailure record;
  private static final BlockingQueue<String> failed = new LinkedBlockingQueue<>();

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    String bus = aws.tableName() + "-bus";
    aws.eventBridge().createBus(bus);
    aws.eventBridge().subscribe(bus, "{\"detail-type\":[\"Video Failed\"]}", failed::add);
    record = new RecordFailure(catalog, new VideoEvents(EventBridgeClient.create(), bus));
  }

  /** The event Step Functions emits, whose input is the S3 event that started the execution. */
  static EventBridgeEvent<ExecutionStatusChange> statusChange(String executionArn, String status, String inputJson,
      String error, String cause) {
    return new EventBridgeEvent<>("0", "id-1", ExecutionStatusChange.DETAIL_TYPE,
        ExecutionStatusChange.SOURCE, "000000000000", "2026-11-24T12:00:00Z", "us-east-1",
        java.util.List.of(executionArn),
        new ExecutionStatusChange(executionArn, "arn:aws:states:us-east-1:000000000000:stateMachine:video-ingest",
            executionArn.substring(executionArn.lastIndexOf(':') + 1), status, 1L, 2L, inputJson, null, error, cause, 0));
  }

  private static String inputFor(String ownerId, String videoId) {
    return JSON.writeValueAsString(Uploads.event("bucket", SourceKey.of(ownerId, videoId), 100, "\"etag\""));
  }

  private static String claimedVideo(String execution) {
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("k", "e", "s", 100), execution);
    catalog.accept(id, execution, "MP4", 100);
    return id;
  }

  @Test
  void marksTheVideoFailedWithErrorCauseAndExecution() throws Exception {
    String execution = Uploads.executionArn();
    String id = claimedVideo(execution);
    FailureRecord r = record.apply(statusChange(execution, "FAILED", inputFor("alice", id),
        "videopipe.functions.TransientFailure", "HEAD s3://b/k: connection refused"));
    assertThat(r).isEqualTo(new FailureRecord.Recorded(id, execution, "videopipe.functions.TransientFailure"));
    VideoItem item = catalog.get(id).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.FAILED);
    assertThat(item.cause()).isEqualTo("HEAD s3://b/k: connection refused");
    assertThat(item.executionArn()).isEqualTo(execution);
    String event = failed.poll(10, TimeUnit.SECONDS);
    assertThat(event).contains(id, "\"status\":\"FAILED\"", execution);
  }

  @Test
  void namesTimeoutsAndAbortsThatCarryNoError() {
    String execution = Uploads.executionArn();
    String id = claimedVideo(execution);
    assertThat(record.apply(statusChange(execution, "TIMED_OUT", inputFor("alice", id), null, null)))
        .isEqualTo(new FailureRecord.Recorded(id, execution, "States.Timeout"));
  }

  @Test
  void cutsLongCauses() {
    String execution = Uploads.executionArn();
    String id = claimedVideo(execution);
    record.apply(statusChange(execution, "FAILED", inputFor("alice", id), "E", "x".repeat(100_000)));
    assertThat(catalog.get(id).orElseThrow().cause()).hasSize(RecordFailure.MAX_CAUSE_CHARS + 1);
  }

  @Test
  void ignoresASucceededExecution() {
    String execution = Uploads.executionArn();
    String id = claimedVideo(execution);
    assertThat(record.apply(statusChange(execution, "SUCCEEDED", inputFor("alice", id), null, null)))
        .isInstanceOf(FailureRecord.Ignored.class);
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
  }

  @Test
  void leavesAReadyVideoReady() {
    String execution = Uploads.executionArn();
    String id = claimedVideo(execution);
    catalog.markReady(id, execution, java.util.Map.of("playlistKey", "p"), java.util.List.of());
    FailureRecord r = record.apply(statusChange(execution, "ABORTED", inputFor("alice", id), null, null));
    assertThat(r).isEqualTo(new FailureRecord.Ignored(id, "video " + id + " is READY"));
  }

  @Test
  void leavesAloneAVideoAnotherExecutionIsProcessing() {
    String owner = Uploads.executionArn();
    String id = claimedVideo(owner);
    String duplicate = Uploads.executionArn();
    FailureRecord r = record.apply(statusChange(duplicate, "FAILED", inputFor("alice", id), "Lambda.TooManyRequestsException", ""));
    assertThat(r).isInstanceOf(FailureRecord.Ignored.class);
    assertThat(((FailureRecord.Ignored) r).why()).contains("claimed by " + owner);
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
  }

  @Test
  void ignoresEventsItCannotUse() {
    String execution = Uploads.executionArn();
    assertThat(record.apply(null)).isInstanceOf(FailureRecord.Ignored.class);
    assertThat(record.apply(statusChange(execution, "FAILED", "{not json", "E", "C")))
        .isInstanceOf(FailureRecord.Ignored.class);
    assertThat(record.apply(statusChange(execution, "FAILED", null, "E", "C")))
        .isInstanceOf(FailureRecord.Ignored.class);
    assertThat(record.apply(statusChange(execution, "FAILED", inputFor("alice", "vUnknownVideo1"), "E", "C")))
        .isEqualTo(new FailureRecord.Ignored("vUnknownVideo1", "video vUnknownVideo1 does not exist"));
  }
}
