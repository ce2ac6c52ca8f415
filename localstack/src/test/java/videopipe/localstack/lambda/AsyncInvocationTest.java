package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionEventInvokeConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.DeadLetterQueue;
import videopipe.statemachines.asl.Json;
import videopipe.localstack.LocalClients;

/**
 * Asynchronous invocation as Lambda runs it: accepted at once (202), run later, a function error
 * retried per the function's settings, a throttle retried until the event is too old, and what
 * failed for good kept in the function's on-failure queue with the request payload, so nothing an
 * EventBridge rule handed to Lambda is silently lost. Delays shortened to milliseconds.
 */
class AsyncInvocationTest {

  private static final long WAIT = 60_000;

  @TempDir
  static Path dir;
  private static LocalLambda lambda;
  private static LambdaServer server;
  private static LambdaClient client;

  @BeforeAll
  static void start() throws Exception {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir.resolve("jar")), "us-east-1", "000000000000");
    lambda.asyncDelays(new AsyncDelays(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(10),
        Duration.ofMillis(50)));
    server = LambdaServer.start(0, lambda);
    client = LocalClients.at(LambdaClient.builder(), server.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    lambda.close();
  }

  /** Deploys the marking function as {@code name}, writing one line per run to its own file. */
  static Path deployMark(String name) {
    Path marks = dir.resolve(name + ".marks");
    lambda.deploy(name, lambda.manifest().function("mark"), Map.of("MARK_FILE", marks.toString()));
    return marks;
  }

  static List<String> awaitLines(Path file, int count) throws Exception {
    return awaitLinesIn(file, count);
  }

  /** The file's lines once it has {@code count} of them, or what it has after a minute. */
  static List<String> awaitLinesIn(Path file, int count) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() >= count) {
          return lines;
        }
      }
      Thread.sleep(20);
    }
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  @Test
  void acceptsAnEventInvocationAtOnceAndRunsItLater() throws Exception {
    Path marks = deployMark("markLater");

    InvokeResponse r = client.invoke(b -> b.functionName("markLater").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"n\":1}")));

    assertThat(r.statusCode()).isEqualTo(202);
    String requestId = r.responseMetadata().requestId();
    assertThat(awaitLines(marks, 1)).containsExactly(requestId + " {\"n\":1}");
  }

  @Test
  void retriesAFailingFunctionTwiceThenSendsTheEventToItsOnFailureQueue() throws Exception {
    Path marks = deployMark("markFails");
    DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markFails-dlq");
    lambda.putFunctionEventInvokeConfig("markFails", EventInvokeConfig.DEFAULT.withOnFailure(dlq));

    InvokeResponse r = client.invoke(b -> b.functionName("markFails").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"fail\":true,\"videoId\":\"v1\"}")));

    DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
    String requestId = r.responseMetadata().requestId();
    assertThat(awaitLines(marks, 3)).hasSize(3).allSatisfy(line -> assertThat(line).startsWith(requestId));
    JsonNode record = Json.tree(m.body());
    assertThat(record.path("requestPayload").path("videoId").asString()).isEqualTo("v1");
    assertThat(record.path("requestContext").path("condition").asString()).isEqualTo("RetriesExhausted");
    assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(record.path("requestContext").path("functionArn").asString())
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:markFails:$LATEST");
    assertThat(record.path("responseContext").path("functionError").asString()).isEqualTo("Unhandled");
    assertThat(record.path("responsePayload").path("errorType").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(m.attributes()).containsEntry("RequestID", requestId).containsEntry("ErrorCode", "200")
        .containsEntry("ErrorMessage", "asked to fail");
  }

  @Test
  void retriesOnlyAsOftenAsTheFunctionAllows() throws Exception {
    Path marks = deployMark("markOnce");
    DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markOnce-dlq");
    lambda.putFunctionEventInvokeConfig("markOnce", new EventInvokeConfig(0, Duration.ofHours(1), dlq));

    lambda.invokeAsync("markOnce", "{\"fail\":true}".getBytes(StandardCharsets.UTF_8));

    assertThat(Json.tree(dlq.await(1, WAIT).get(0).body()).path("requestContext").path("approximateInvokeCount").asInt())
        .isEqualTo(1);
    assertThat(awaitLines(marks, 1)).hasSize(1);
  }

  @Test
  void retriesAThrottledInvocationUntilAContainerIsFree() throws Exception {
    Path marks = deployMark("markBusy");
    Semaphore permits = lambda.concurrency("markBusy");
    int held = permits.drainPermits();

    lambda.invokeAsync("markBusy", "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
    Thread.sleep(2_500); // past the function's 1 s wait for a container: throttled at least once
    assertThat(lambda.pendingAsyncInvocations()).isPositive();
    assertThat(Files.exists(marks)).isFalse();
    permits.release(held);

    assertThat(awaitLines(marks, 1)).hasSize(1).allSatisfy(line -> assertThat(line).endsWith("{\"n\":2}"));
  }

  @Test
  void givesUpOnAThrottledEventOnceItIsTooOld() throws Exception {
    deployMark("markOld");
    DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markOld-dlq");
    lambda.putFunctionEventInvokeConfig("markOld", new EventInvokeConfig(2, Duration.ofMillis(1_500), dlq));
    Semaphore permits = lambda.concurrency("markOld");
    int held = permits.drainPermits();
    try {
      lambda.invokeAsync("markOld", "{\"n\":3}".getBytes(StandardCharsets.UTF_8));

      DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
      JsonNode record = Json.tree(m.body());
      assertThat(record.path("requestContext").path("condition").asString()).isEqualTo("EventAgeExceeded");
      assertThat(record.path("responsePayload").path("errorType").asString()).isEqualTo("TooManyRequestsException");
      assertThat(m.attributes()).containsEntry("ErrorCode", "429");
    } finally {
      permits.release(held);
    }
  }

  @Test
  void takesTheFunctionsAsyncSettingsThroughTheLambdaApi() throws Exception {
    Path marks = deployMark("markApi");
    DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markApi-dlq");
    lambda.destinations(arn -> arn.equals(dlq.arn()) ? dlq : null);

    client.putFunctionEventInvokeConfig(b -> b.functionName("markApi").maximumRetryAttempts(1)
        .maximumEventAgeInSeconds(3600).destinationConfig(d -> d.onFailure(f -> f.destination(dlq.arn()))));
    GetFunctionEventInvokeConfigResponse got = client.getFunctionEventInvokeConfig(b -> b.functionName("markApi"));
    client.invoke(b -> b.functionName("markApi").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"fail\":true}")));

    assertThat(got.maximumRetryAttempts()).isEqualTo(1);
    assertThat(got.maximumEventAgeInSeconds()).isEqualTo(3600);
    assertThat(got.destinationConfig().onFailure().destination()).isEqualTo(dlq.arn());
    assertThat(Json.tree(dlq.await(1, WAIT).get(0).body()).path("requestContext").path("approximateInvokeCount").asInt())
        .isEqualTo(2);
    assertThat(awaitLines(marks, 2)).hasSize(2);
    assertThatThrownBy(() -> client.putFunctionEventInvokeConfig(b -> b.functionName("markApi")
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:unknown")))))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("unknown");
    assertThatThrownBy(() -> client.putFunctionEventInvokeConfig(b -> b.functionName("markApi").maximumRetryAttempts(3)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("MaximumRetryAttempts");
  }
}
