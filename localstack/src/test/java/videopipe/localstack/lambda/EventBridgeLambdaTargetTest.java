package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import videopipe.localstack.eventbridge.Backoff;
import videopipe.localstack.eventbridge.DeadLetterQueue;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.eventbridge.RetryPolicy;

/**
 * A rule whose target is a function invokes it asynchronously, as EventBridge invokes Lambda, and
 * EventBridge's own retries and dead-letter queue take over only when Lambda refuses the call.
 */
class EventBridgeLambdaTargetTest {

  @TempDir
  static Path dir;
  private static LocalLambda lambda;
  private static EventBridgeEmulator events;

  @BeforeAll
  static void start() throws Exception {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir.resolve("jar")), "us-east-1", "000000000000");
    events = EventBridgeEmulator.start(EventBridgeEmulator.Options.defaults("us-east-1", "000000000000")
        .withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20))));
  }

  @AfterAll
  static void stop() {
    events.close();
    lambda.close();
  }

  @Test
  void deliversAMatchingEventToTheFunction() throws Exception {
    Path marks = dir.resolve("markTarget.marks");
    lambda.deploy("markTarget", lambda.manifest().function("mark"), Map.of("MARK_FILE", marks.toString()));
    events.subscribe("default", "{\"source\":[\"to-lambda\"]}", lambda.target("markTarget"));

    events.putEvent("default", "to-lambda", "Job State Change", java.util.List.of(), "{\"jobId\":\"j1\"}");

    assertThat(AsyncInvocationTest.awaitLinesIn(marks, 1)).singleElement()
        .satisfies(line -> assertThat(line).contains("\"detail\":{\"jobId\":\"j1\"}"));
  }

  @Test
  void retriesARefusedInvokeThenDeadLettersTheEvent() throws Exception {
    lambda.deploy("echoRefusing", lambda.manifest().function("echo"), Map.of());
    lambda.faults().serviceErrorUntilCleared("echoRefusing", LambdaException.Code.ServiceException, "injected outage");
    DeadLetterQueue dlq = events.deadLetterQueue("echoRefusing-dlq");
    events.putRule("default", "to-echo", "{\"source\":[\"refused\"]}", lambda.target("echoRefusing")
        .withRetryPolicy(new RetryPolicy(2, Duration.ofHours(1))).withDeadLetterQueue(dlq));

    events.putEvent("default", "refused", "t", java.util.List.of(), "{}");

    DeadLetterQueue.Message m = dlq.await(1, 60_000).get(0);
    assertThat(m.attributes())
        .containsEntry("TARGET_ARN", "arn:aws:lambda:us-east-1:000000000000:function:echoRefusing")
        .containsEntry("RULE_ARN", "arn:aws:events:us-east-1:000000000000:rule/to-echo")
        .containsEntry("ERROR_CODE", "INTERNAL_ERROR")
        .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts")
        .containsEntry("RETRY_ATTEMPTS", "2");
    assertThat(m.attribute("ERROR_MESSAGE")).contains("ServiceException", "injected outage");
    assertThat(lambda.faults().get("echoRefusing").injected()).isEqualTo(3);
  }
}
