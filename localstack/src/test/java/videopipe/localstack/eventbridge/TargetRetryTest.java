package videopipe.localstack.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import videopipe.localstack.LocalClients;

/**
 * A target that refuses an event is retried as EventBridge retries (retriable errors only, within
 * the retry policy), and what never got through lands in the target's dead-letter queue with the
 * attributes AWS adds, so an operator can find and replay it. Back-off shortened to milliseconds.
 */
class TargetRetryTest {

  private static final long WAIT = 60_000;

  @TempDir
  static Path data;
  private static EventBridgeEmulator emulator;
  private static EventBridgeClient client;

  @BeforeAll
  static void start() throws Exception {
    emulator = EventBridgeEmulator.start(EventBridgeEmulator.Options.defaults("us-east-1", "000000000000")
        .withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20))).withDataDirectory(data));
    client = LocalClients.at(EventBridgeClient.builder(), emulator.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    emulator.close();
  }

  private static void put(String source, String detail) {
    assertThat(client.putEvents(b -> b.entries(e -> e.source(source).detailType("t").detail(detail))).failedEntryCount())
        .isZero();
  }

  private static AwsServiceException serviceError(int status, String code) {
    return AwsServiceException.builder().statusCode(status).message(code + " from the target")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from the target").build())
        .build();
  }

  @Test
  void retriesAThrottledTargetUntilItTakesTheEvent() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    DeadLetterQueue dlq = emulator.deadLetterQueue("throttled-dlq");
    emulator.putRule("default", "throttled", "{\"source\":[\"throttled\"]}", Target.of("arn:aws:states:x", event -> {
      if (calls.incrementAndGet() <= 3) {
        throw serviceError(400, "ThrottlingException");
      }
      delivered.add(event);
    }).withDeadLetterQueue(dlq));

    put("throttled", "{\"n\":1}");

    assertThat(delivered.poll(WAIT, TimeUnit.MILLISECONDS)).contains("\"detail\":{\"n\":1}");
    assertThat(calls).hasValue(4);
    assertThat(dlq.messages()).isEmpty();
  }

  @Test
  void sendsTheEventToTheDeadLetterQueueWhenRetriesRunOut() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    DeadLetterQueue dlq = emulator.deadLetterQueue("exhausted-dlq");
    emulator.putRule("default", "exhausted", "{\"source\":[\"exhausted\"]}", Target.of("arn:aws:states:sm", event -> {
      calls.incrementAndGet();
      throw serviceError(503, "ServiceUnavailable");
    }).withRetryPolicy(new RetryPolicy(3, Duration.ofHours(1))).withDeadLetterQueue(dlq));

    put("exhausted", "{\"videoId\":\"v9\"}");

    List<DeadLetterQueue.Message> messages = dlq.await(1, WAIT);
    assertThat(messages).hasSize(1);
    DeadLetterQueue.Message m = messages.get(0);
    assertThat(m.body()).contains("\"source\":\"exhausted\"", "\"detail\":{\"videoId\":\"v9\"}");
    assertThat(m.attributes())
        .containsEntry("RULE_ARN", "arn:aws:events:us-east-1:000000000000:rule/exhausted")
        .containsEntry("TARGET_ARN", "arn:aws:states:sm")
        .containsEntry("ERROR_CODE", "INTERNAL_ERROR")
        .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts")
        .containsEntry("RETRY_ATTEMPTS", "3");
    assertThat(m.attribute("ERROR_MESSAGE")).contains("ServiceUnavailable");
    assertThat(calls).hasValue(4);
  }

  @Test
  void sendsAMissingTargetToTheDeadLetterQueueWithoutRetrying() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    DeadLetterQueue dlq = emulator.deadLetterQueue("missing-dlq");
    emulator.putRule("default", "missing", "{\"source\":[\"missing\"]}", Target.of("arn:aws:states:gone", event -> {
      calls.incrementAndGet();
      throw serviceError(400, "StateMachineDoesNotExist");
    }).withDeadLetterQueue(dlq));

    put("missing", "{}");

    DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
    assertThat(m.attributes()).containsEntry("ERROR_CODE", "NO_RESOURCE").containsEntry("RETRY_ATTEMPTS", "0")
        .doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
    assertThat(calls).hasValue(1);
  }

  @Test
  void stopsRetryingWhenTheEventIsTooOld() throws Exception {
    DeadLetterQueue dlq = emulator.deadLetterQueue("aged-dlq");
    emulator.putRule("default", "aged", "{\"source\":[\"aged\"]}", Target.of("arn:aws:lambda:f", event -> {
      throw new TargetFailure(TargetFailure.ErrorCode.THROTTLING, "Rate Exceeded.");
    }).withRetryPolicy(new RetryPolicy(185, Duration.ofMillis(200))).withDeadLetterQueue(dlq));

    put("aged", "{}");

    DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
    assertThat(m.attributes()).containsEntry("ERROR_CODE", "THROTTLING")
        .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds");
    assertThat(Integer.parseInt(m.attribute("RETRY_ATTEMPTS"))).isLessThan(185);
  }

  @Test
  void putEventsDoesNotWaitForTargets() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    try (AutoCloseable rule = emulator.putRule("default", "slow", "{\"source\":[\"slow\"]}",
        Target.of("arn:aws:states:slow", event -> {
          try {
            release.await(WAIT, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          delivered.add(event);
        }))) {
      put("slow", "{}");
      put("slow", "{}");
      assertThat(delivered).isEmpty();
      release.countDown();
      assertThat(delivered.poll(WAIT, TimeUnit.MILLISECONDS)).isNotNull();
      assertThat(delivered.poll(WAIT, TimeUnit.MILLISECONDS)).isNotNull();
    }
  }

  @Test
  void keepsDeadLettersOnDiskAcrossARestart(@TempDir Path own) throws Exception {
    // Its own directory: one emulator holds a data directory at a time, and the class's stays open.
    EventBridgeEmulator.Options options = EventBridgeEmulator.Options.defaults("us-east-1", "000000000000")
        .withDataDirectory(own);
    DeadLetterQueue.Message sent;
    String arn;
    try (EventBridgeEmulator first = EventBridgeEmulator.start(options)) {
      DeadLetterQueue dlq = first.deadLetterQueue("durable-dlq");
      arn = dlq.arn();
      first.putRule("default", "durable", "{\"source\":[\"durable\"]}", Target.of("arn:aws:states:d", event -> {
        throw serviceError(403, "AccessDeniedException");
      }).withDeadLetterQueue(dlq));
      first.putEvent("default", "durable", "t", List.of(), "{\"keep\":true}");
      sent = dlq.await(1, WAIT).get(0);
    }

    try (EventBridgeEmulator restarted = EventBridgeEmulator.start(options)) {
      DeadLetterQueue reopened = restarted.deadLetterQueueForArn(arn);

      assertThat(reopened.messages()).containsExactly(sent);
      assertThat(reopened.drain()).containsExactly(sent);
    }
    assertThat(DeadLetterQueue.onDisk(arn, own.resolve("dead-letter-queues/durable-dlq.jsonl")).messages())
        .isEmpty();
  }

  @Test
  void resolvesOnlyItsOwnQueueArns() {
    assertThat(emulator.deadLetterQueueForArn("arn:aws:sqs:us-east-1:000000000000:resolved-dlq").arn())
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:resolved-dlq");
    assertThat(emulator.deadLetterQueueForArn("arn:aws:sqs:eu-west-1:000000000000:resolved-dlq")).isNull();
    assertThat(emulator.deadLetterQueueForArn("arn:aws:sns:us-east-1:000000000000:topic")).isNull();
  }

  @Test
  void backoffGrowsExponentiallyWithinItsCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(300));
    java.util.random.RandomGenerator highest = new java.util.random.RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
    assertThat(b.delay(1, highest)).isEqualTo(Duration.ofMillis(1000));
    assertThat(b.delay(4, highest)).isEqualTo(Duration.ofMillis(8000));
    assertThat(b.delay(40, highest)).isEqualTo(Duration.ofSeconds(300));
  }
}
