package videopipe.functions.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.FunctionsApplication;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.FunctionInvocation;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * Each function as Lambda runs it: Spring Cloud Function's own {@code FunctionInvoker}, which
 * starts {@link FunctionsApplication}, selects the bean by its definition, and gets the very JSON
 * Lambda would send (the state machine's task input, or EventBridge's event). The configuration
 * comes through Spring's environment, here from system properties, on Lambda from variables.
 */
@ExtendWith(LocalAwsExtension.class)
class FunctionInvokerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();
  private static Catalog catalog;
  private static Uploads uploads;
  private static String bus;

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    uploads = new Uploads(aws.s3Client(), catalog, aws.bucket());
    bus = aws.tableName() + "-bus";
    aws.eventBridge().createBus(bus);
    PROPERTIES.put("MAIN_CLASS", FunctionsApplication.class.getName());
    PROPERTIES.put("CATALOG_TABLE", aws.tableName());
    PROPERTIES.put("EVENT_BUS_NAME", bus);
    PROPERTIES.put("S3_FORCE_PATH_STYLE", "true");
    PROPERTIES.forEach(System::setProperty);
  }

  @AfterAll
  static void tearDown() {
    PROPERTIES.keySet().forEach(System::clearProperty);
  }

  private static JsonNode invoke(String function, Object input) throws Exception {
    return FunctionInvocation.invoke(function, JSON.writeValueAsString(input));
  }

  @Test
  void runsTheIngestStepsFromTheStateMachinesJson() throws Exception {
    String execution = Uploads.executionArn();
    EventBridgeEvent<ObjectCreated> event = uploads.upload("alice", Clip.MP4_FAST_START.bytes());

    JsonNode validation = invoke("validateUpload", Map.of("event", event, "executionArn", execution));
    assertThat(validation.path("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(validation.path("container").asString()).isEqualTo("MP4");
    String videoId = validation.path("videoId").asString();

    Map<String, Object> extractInput = JSON.convertValue(validation, Map.class);
    extractInput.put("executionArn", execution);
    JsonNode extraction = invoke("extractMetadata", extractInput);
    assertThat(extraction.path("outcome").asString()).isEqualTo("EXTRACTED");
    assertThat(extraction.path("metadata").path("width").asInt()).isEqualTo(160);

    JsonNode published = invoke("publishVideo", Map.of("videoId", videoId, "executionArn", execution,
        "outputs", Map.of("playlistKey", "media/" + videoId + "/index.m3u8", "renditions", List.of()),
        "captions", List.of()));
    assertThat(published.path("status").asString()).isEqualTo("READY");
    assertThat(catalog.get(videoId).orElseThrow().status()).isEqualTo(VideoStatus.READY);
  }

  @Test
  void rejectsABadUploadAsAResultNotAnError() throws Exception {
    JsonNode validation = invoke("validateUpload",
        Map.of("event", uploads.upload("alice", "MZ not a video".getBytes(StandardCharsets.US_ASCII)),
            "executionArn", Uploads.executionArn()));
    assertThat(validation.path("outcome").asString()).isEqualTo("REJECTED");
    assertThat(validation.path("reason").asString()).isEqualTo("EXECUTABLE");
  }

  @Test
  void recordsAFailureFromEventBridgesStatusChangeEvent() throws Exception {
    String execution = Uploads.executionArn();
    EventBridgeEvent<ObjectCreated> event = uploads.upload("alice", Clip.MKV.bytes());
    Map<String, Object> statusChange = new LinkedHashMap<>();
    statusChange.put("version", "0");
    statusChange.put("id", "315c1398-40ff-a850-213b-158f73e60175");
    statusChange.put("detail-type", "Step Functions Execution Status Change");
    statusChange.put("source", "aws.states");
    statusChange.put("account", "000000000000");
    statusChange.put("time", "2026-11-24T12:00:00Z");
    statusChange.put("region", "us-east-1");
    statusChange.put("resources", List.of(execution));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("executionArn", execution);
    detail.put("stateMachineArn", "arn:aws:states:us-east-1:000000000000:stateMachine:video-ingest");
    detail.put("name", "x");
    detail.put("status", "FAILED");
    detail.put("startDate", 1764000000000L);
    detail.put("stopDate", 1764000005000L);
    detail.put("input", JSON.writeValueAsString(event));
    detail.put("inputDetails", Map.of("included", true));
    detail.put("output", null);
    detail.put("error", "Lambda.ServiceException");
    detail.put("cause", "Rate exceeded");
    statusChange.put("detail", detail);
    JsonNode r = invoke("recordFailure", statusChange);
    assertThat(r.path("outcome").asString()).isEqualTo("RECORDED");
    assertThat(catalog.get(r.path("videoId").asString()).orElseThrow().status()).isEqualTo(VideoStatus.FAILED);
  }

  @Test
  void recordsATimeoutFromTheStatusChangeEventAsStepFunctionsPrintsIt() throws Exception {
    // Step Functions developer guide, "Step Functions Execution Status Change" (TIMED_OUT, so no
    // error: recordFailure names it from the status), with our execution and its input, the S3
    // event as a JSON string. Every field recordFailure reads is in the typed detail; as a Map,
    // its first read would throw.
    String execution = Uploads.executionArn();
    EventBridgeEvent<ObjectCreated> upload = uploads.upload("alice", Clip.MKV.bytes());
    String event = """
        {
          "version": "0",
          "id": "315c1398-40ff-a850-213b-158f73e60175",
          "detail-type": "Step Functions Execution Status Change",
          "source": "aws.states",
          "account": "123456789012",
          "time": "2019-02-26T19:42:21Z",
          "region": "us-east-1",
          "resources": ["%1$s"],
          "detail": {
            "executionArn": "%1$s",
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:video-ingest",
            "name": "%2$s",
            "status": "TIMED_OUT",
            "startDate": 1551225014968,
            "stopDate": 1551225017576,
            "input": %3$s,
            "inputDetails": {"included": true},
            "output": null,
            "outputDetails": null,
            "error": null,
            "cause": null
          }
        }""".formatted(execution, execution.substring(execution.lastIndexOf(':') + 1),
        JSON.writeValueAsString(JSON.writeValueAsString(upload)));
    JsonNode r = FunctionInvocation.invoke("recordFailure", event);
    assertThat(r.path("outcome").asString()).isEqualTo("RECORDED");
    assertThat(r.path("executionArn").asString()).isEqualTo(execution);
    assertThat(r.path("error").asString()).isEqualTo("States.Timeout");
    assertThat(catalog.get(r.path("videoId").asString()).orElseThrow().status()).isEqualTo(VideoStatus.FAILED);
  }

  @Test
  void letsInfrastructureErrorsOutForTheStateMachineToRetry() {
    assertThatThrownBy(() -> invoke("publishVideo", Map.of("videoId", "vDoesNotExist00", "executionArn", "e",
        "outputs", Map.of("playlistKey", "p"))))
        .hasMessageContaining("vDoesNotExist00");
  }
}
