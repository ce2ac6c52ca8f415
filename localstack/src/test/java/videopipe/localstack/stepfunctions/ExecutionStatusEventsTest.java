package videopipe.localstack.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.statemachines.StateMachineDefinitions;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.Invocation;
import videopipe.localstack.LocalClients;

/**
 * The {@code Step Functions Execution Status Change} events on the local EventBridge, matched by
 * Event Ruler against the very pattern of the rule that runs {@code recordFailure}: it must see
 * video-ingest's FAILED, TIMED_OUT and ABORTED executions, with what recordFailure reads (the
 * execution's input as JSON text, its error and cause, dates as epoch milliseconds), and nothing
 * else: a RUNNING or SUCCEEDED event, or another machine's failure, would mark a good video FAILED.
 */
class ExecutionStatusEventsTest {

  static final String ACCOUNT = "000000000000";
  static final String ROLE = "arn:aws:iam::000000000000:role/sfn";
  static final String UPLOAD = """
      {"version": "0", "id": "1", "detail-type": "Object Created", "source": "aws.s3", "account": "000000000000",
       "time": "2026-11-24T12:00:00Z", "region": "us-east-1", "resources": ["arn:aws:s3:::media"],
       "detail": {"bucket": {"name": "media"}, "object": {"key": "uploads/o-1/v-42/source", "etag": "e1", "sequencer": "01"}}}""";

  EventBridgeEmulator eventBridge;
  StepFunctionsServer server;
  SfnClient sfn;
  /** What each function does now, by name: returns a value, or fails. */
  final Map<String, java.util.function.Function<Object, Invocation>> functions = new java.util.concurrent.ConcurrentHashMap<>();
  /** SubmitTranscode's task tokens, answered by the test (or never, to keep an execution waiting). */
  final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    eventBridge = EventBridgeEmulator.start(0, "us-east-1", ACCOUNT);
    server = StepFunctionsServer.start(0, "us-east-1", ACCOUNT, (function, payload) -> CompletableFuture.completedFuture(
            functions.get(function.substring(function.lastIndexOf(':') + 1)).apply(payload)),
        null, StepFunctionsServer.toEventBridge(eventBridge, "default"));
    sfn = LocalClients.at(SfnClient.builder(), server.endpoint());
    functions.put("ValidateUpload", p -> new Invocation.Returned(Map.of("outcome", "ACCEPTED", "videoId", "v-42",
        "ownerId", "o-1", "bucket", "media", "key", "uploads/o-1/v-42/source", "container", "MP4", "bytes", 1000,
        "etag", "e1")));
    functions.put("ExtractMetadata", p -> new Invocation.Returned(Map.of("outcome", "EXTRACTED", "videoId", "v-42",
        "ownerId", "o-1", "bucket", "media", "key", "uploads/o-1/v-42/source",
        "metadata", Map.of("durationSeconds", 1, "width", 160, "height", 90))));
    functions.put("SubmitTranscode", p -> {
      tokens.add((String) ((Map<?, ?>) p).get("taskToken"));
      return new Invocation.Returned(Map.of("jobId", "job-1"));
    });
    functions.put("AttachCaptions", p -> new Invocation.Returned(Map.of("captions", List.of())));
    functions.put("PublishVideo", p -> new Invocation.Returned(Map.of("videoId", "v-42", "status", "READY")));
    functions.put("Broken", p -> new Invocation.Failed("Broken", "always"));
  }

  @AfterEach
  void stop() {
    sfn.close();
    server.close();
    eventBridge.close();
  }

  String videoIngest() {
    Map<String, String> arns = new HashMap<>();
    for (String f : new String[] {"ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo"}) {
      arns.put(f + "Arn", "arn:aws:lambda:us-east-1:000000000000:function:" + f);
    }
    String json = StateMachineDefinitions.load("video-ingest", arns).json();
    return sfn.createStateMachine(b -> b.name("videopipe-dev-video-ingest").definition(json).roleArn(ROLE))
        .stateMachineArn();
  }

  String start(String machine, String name) {
    return sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input(UPLOAD)).executionArn();
  }

  ExecutionStatus await(String arn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      ExecutionStatus s = sfn.describeExecution(b -> b.executionArn(arn)).status();
      if (s != ExecutionStatus.RUNNING) {
        return s;
      }
      assertThat(System.nanoTime()).as("%s still running", arn).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  String token() throws InterruptedException {
    String token = tokens.poll(60, TimeUnit.SECONDS);
    assertThat(token).as("SubmitTranscode's task token").isNotNull();
    return token;
  }

  /** Every status change event put on the default bus so far, as parsed JSON. */
  List<JsonNode> statusChanges() {
    return eventBridge.events("default").stream().map(Json::tree)
        .filter(e -> e.path("source").asString().equals("aws.states")).toList();
  }

  @Test
  void recordFailuresRuleSeesVideoIngestsFailedTimedOutAndAbortedExecutionsOnly() throws Exception {
    String ingest = videoIngest();
    String other = sfn.createStateMachine(b -> b.name("videopipe-dev-other").roleArn(ROLE).definition("""
        {"StartAt": "Broken", "States": {"Broken": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:Broken", "End": true}}}"""))
        .stateMachineArn();
    BlockingQueue<String> recordFailure = new LinkedBlockingQueue<>();
    eventBridge.subscribe("default", StateMachineDefinitions.pattern("execution-failed", Map.of("VideoIngestArn", ingest)),
        recordFailure::add);

    String succeeded = start(ingest, "ok");
    String token1 = take();

    sfn.sendTaskSuccess(b -> b.taskToken(token1).output("{\"bucket\": \"media\", \"playlistKey\": \"v-42/hls/index.m3u8\","
        + " \"mp4Key\": \"v-42/v.mp4\", \"thumbnailKey\": \"v-42/t.jpg\", \"renditions\": []}"));
    assertThat(await(succeeded)).isEqualTo(ExecutionStatus.SUCCEEDED);
    String otherFailed = start(other, "other");
    assertThat(await(otherFailed)).isEqualTo(ExecutionStatus.FAILED);
    String failed = start(ingest, "failed");
    String token2 = take();

    sfn.sendTaskFailure(b -> b.taskToken(token2).error("MediaConvert.JobFailed").cause("{\"errorCode\": 1010}"));
    assertThat(await(failed)).isEqualTo(ExecutionStatus.FAILED);
    String aborted = start(ingest, "aborted");
    take();
    sfn.stopExecution(b -> b.executionArn(aborted).error("Operator").cause("stopped by hand"));
    sfn.updateStateMachine(b -> b.stateMachineArn(ingest).definition(sfn.describeStateMachine(d -> d.stateMachineArn(ingest))
        .definition().replace("\"TimeoutSeconds\": 86400", "\"TimeoutSeconds\": 1")));
    String timedOut = start(ingest, "timed-out");
    assertThat(await(timedOut)).isEqualTo(ExecutionStatus.TIMED_OUT);

    Map<String, JsonNode> seen = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      String event = recordFailure.poll(60, TimeUnit.SECONDS);
      assertThat(event).as("event %d for recordFailure", i + 1).isNotNull();
      JsonNode e = Json.tree(event);
      seen.put(e.path("detail").path("status").asString(), e);
    }
    assertThat(seen).containsOnlyKeys("FAILED", "ABORTED", "TIMED_OUT");
    assertThat(seen.get("FAILED").path("resources").get(0).asString()).isEqualTo(failed);
    assertThat(seen.get("ABORTED").path("resources").get(0).asString()).isEqualTo(aborted);
    assertThat(seen.get("TIMED_OUT").path("resources").get(0).asString()).isEqualTo(timedOut);
    // Delivery is in order: the events put before the last match have all been offered to the rule.
    assertThat(recordFailure).isEmpty();
    assertThat(statusChanges()).extracting(e -> e.path("resources").get(0).asString() + " " + e.path("detail").path("status").asString())
        .contains(succeeded + " RUNNING", succeeded + " SUCCEEDED", otherFailed + " FAILED", failed + " RUNNING");
  }

  @Test
  void aFailureEventCarriesWhatRecordFailureReads() throws Exception {
    String ingest = videoIngest();
    AtomicReference<String> delivered = new AtomicReference<>();
    eventBridge.subscribe("default", StateMachineDefinitions.pattern("execution-failed", Map.of("VideoIngestArn", ingest)),
        delivered::set);
    String failed = start(ingest, "v-42");
    String token3 = take();

    sfn.sendTaskFailure(b -> b.taskToken(token3).error("MediaConvert.JobFailed").cause("{\"errorCode\": 1010}"));
    assertThat(await(failed)).isEqualTo(ExecutionStatus.FAILED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.get() == null) {
      assertThat(System.nanoTime()).as("the FAILED event delivered").isLessThan(deadline);
      Thread.sleep(20);
    }
    JsonNode event = Json.tree(delivered.get());
    assertThat(event.path("source").asString()).isEqualTo("aws.states");
    assertThat(event.path("detail-type").asString()).isEqualTo("Step Functions Execution Status Change");
    JsonNode d = event.path("detail");
    assertThat(d.path("executionArn").asString()).isEqualTo(failed);
    assertThat(d.path("stateMachineArn").asString()).isEqualTo(ingest);
    assertThat(d.path("name").asString()).isEqualTo("v-42");
    assertThat(d.path("error").asString()).isEqualTo("MediaConvert.JobFailed");
    assertThat(d.path("cause").asString()).isEqualTo("{\"errorCode\": 1010}");
    assertThat(d.path("startDate").isIntegralNumber()).as("startDate in epoch milliseconds").isTrue();
    assertThat(d.path("stopDate").asLong()).isGreaterThanOrEqualTo(d.path("startDate").asLong());
    // recordFailure finds the video from the S3 event the execution was started with, given as JSON text.
    assertThat(Json.tree(d.path("input").asString()).path("detail").path("object").path("key").asString())
        .isEqualTo("uploads/o-1/v-42/source");
    assertThat(d.path("inputDetails").path("included").asBoolean()).isTrue();
    assertThat(d.path("output").isNull()).isTrue();
    assertThat(d.path("redriveCount").asInt()).isZero();
    assertThat(d.path("redriveStatus").asString()).isEqualTo("REDRIVABLE");
  }

  @Test
  void aRedriveIsRunningAgainAndItsEndIsAnnounced() throws Exception {
    String ingest = videoIngest();
    functions.put("PublishVideo", p -> new Invocation.Failed("java.lang.IllegalStateException", "{\"errorMessage\":\"bug\"}"));
    String arn = start(ingest, "redriven");
    String token4 = take();

    sfn.sendTaskSuccess(b -> b.taskToken(token4).output("{\"bucket\": \"media\", \"playlistKey\": \"p\", \"mp4Key\": \"m\","
        + " \"thumbnailKey\": \"t\", \"renditions\": []}"));
    assertThat(await(arn)).isEqualTo(ExecutionStatus.FAILED);
    functions.put("PublishVideo", p -> new Invocation.Returned(Map.of("videoId", "v-42", "status", "READY")));

    sfn.redriveExecution(b -> b.executionArn(arn));
    assertThat(await(arn)).isEqualTo(ExecutionStatus.SUCCEEDED);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen;
    do {
      assertThat(System.nanoTime()).as("four status changes put on the bus").isLessThan(deadline);
      Thread.sleep(20);
      seen = statusChanges().stream().map(e -> e.path("detail").path("status").asString() + "/"
          + e.path("detail").path("redriveCount").asInt()).toList();
    } while (seen.size() < 4);
    assertThat(seen).containsExactly("RUNNING/0", "FAILED/0", "RUNNING/1", "SUCCEEDED/1");
    JsonNode last = statusChanges().get(3).path("detail");
    assertThat(last.path("output").asString()).contains("\"status\":\"READY\"");
    assertThat(last.path("redriveDate").isIntegralNumber()).isTrue();
    assertThat(last.path("redriveStatus").asString()).isEqualTo("NOT_REDRIVABLE");
  }

  private String take() throws InterruptedException {
    return token();
  }
}
