package videopipe.localstack.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery waiting for its retry when the local stack stops is not lost on a data directory: the
 * next emulator on it reads it back and resumes it once the rule is put again, delivering it once,
 * or, when it grew too old while stopped, sending it to the target's dead-letter queue as
 * EventBridge would have. In memory it is lost, and the close says so.
 *
 * <p>The first emulator's back-off is an hour, so its retry is surely still waiting at close; the
 * second runs on a clock hours later, so that retry is due (or the event too old) at once.
 */
class PendingRetryRestartTest {

  private static final long WAIT = 60_000;
  private static final String PATTERN = "{\"source\":[\"restart\"]}";
  private static final String TARGET_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:ingest";
  private static final Backoff AN_HOUR = new Backoff(Duration.ofHours(1), Duration.ofHours(1));

  @TempDir
  Path data;

  private EventBridgeEmulator.Options options() {
    return EventBridgeEmulator.Options.defaults("us-east-1", "000000000000").withDataDirectory(data);
  }

  private static Target throttled(AtomicInteger calls) {
    return Target.of(TARGET_ARN, event -> {
      calls.incrementAndGet();
      throw new TargetFailure(TargetFailure.ErrorCode.THROTTLING, "Rate Exceeded.");
    });
  }

  /** Puts one event through a rule whose target refuses it, then closes with its retry waiting; returns the calls. */
  private int leaveARetryWaiting(String rule, EventBridgeEmulator.Options options) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String closing;
    EventBridgeEmulator first = EventBridgeEmulator.start(options.withBackoff(AN_HOUR));
    try {
      first.putRule("default", rule, PATTERN, throttled(calls));
      first.putEvent("default", "restart", "t", List.of(), "{\"n\":1}");
      await(() -> first.pendingRetries() == 1);
    } finally {
      closing = stderrOf(first::close);
    }
    assertThat(closing).doesNotContain("lost with the emulator");
    return calls.get();
  }

  @Test
  void deliversARetryThatWaitedAcrossARestartOnceItsRuleIsPutAgain() throws Exception {
    leaveARetryWaiting("ingest", options());
    assertThat(records()).hasSize(1);

    BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    Target target = Target.of(TARGET_ARN, delivered::add);
    try (EventBridgeEmulator second = EventBridgeEmulator.start(options(), Clock.offset(Clock.systemUTC(),
        Duration.ofHours(2)))) {
      DeadLetterQueue dlq = second.deadLetterQueue("ingest-dlq");
      second.putRule("default", "ingest", PATTERN, target.withDeadLetterQueue(dlq));

      assertThat(delivered.poll(WAIT, TimeUnit.MILLISECONDS)).contains("\"source\":\"restart\"", "\"detail\":{\"n\":1}");
      await(() -> records().isEmpty());

      second.putRule("default", "ingest", PATTERN, target.withDeadLetterQueue(dlq)); // a second put resumes nothing
      second.putEvent("default", "restart", "t", List.of(), "{\"n\":2}");
      assertThat(delivered.poll(WAIT, TimeUnit.MILLISECONDS)).contains("\"detail\":{\"n\":2}");
      assertThat(delivered).isEmpty();
      assertThat(second.pendingRetries()).isZero();
      assertThat(dlq.messages()).isEmpty();
    }
    assertThat(records()).isEmpty();
  }

  @Test
  void sendsARetryThatGrewTooOldWhileStoppedToTheDeadLetterQueue() throws Exception {
    int firstCalls = leaveARetryWaiting("aged", options());

    AtomicInteger calls = new AtomicInteger();
    try (EventBridgeEmulator second = EventBridgeEmulator.start(options(), Clock.offset(Clock.systemUTC(),
        Duration.ofHours(25)))) {
      DeadLetterQueue dlq = second.deadLetterQueue("aged-dlq");
      second.putRule("default", "aged", PATTERN, throttled(calls).withDeadLetterQueue(dlq));

      DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
      assertThat(m.body()).contains("\"source\":\"restart\"", "\"detail\":{\"n\":1}");
      assertThat(m.attributes())
          .containsEntry("RULE_ARN", "arn:aws:events:us-east-1:000000000000:rule/aged")
          .containsEntry("TARGET_ARN", TARGET_ARN)
          .containsEntry("ERROR_CODE", "THROTTLING")
          .containsEntry("ERROR_MESSAGE", "Rate Exceeded.")
          .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds")
          .containsEntry("RETRY_ATTEMPTS", String.valueOf(firstCalls - 1));
      await(() -> records().isEmpty());
      assertThat(calls).hasValue(0);
      assertThat(second.pendingRetries()).isZero();
    }
  }

  @Test
  void leavesARetryOnDiskUntilItsRuleIsPut() throws Exception {
    leaveARetryWaiting("later", options());

    try (EventBridgeEmulator second = EventBridgeEmulator.start(options())) {
      second.putRule("default", "other", PATTERN, Target.of(TARGET_ARN, event -> {}));
      second.putRule("default", "later", PATTERN, Target.of("arn:aws:states:us-east-1:000000000000:stateMachine:x",
          event -> {}));
      assertThat(second.pendingRetries()).isZero();
    }
    assertThat(records()).hasSize(1);
  }

  @Test
  void setsAnUnreadableRecordAsideAndReportsIt() throws Exception {
    Path dir = Files.createDirectories(data.resolve("pending-retries"));
    Files.writeString(dir.resolve("broken.json"), "{\"bus\":\"default\",");
    Files.writeString(dir.resolve("incomplete.json"), "{\"bus\":\"default\",\"rule\":\"r\"}");

    try (EventBridgeEmulator emulator = EventBridgeEmulator.start(options())) {
      assertThat(emulator.dataDirProblems()).hasSize(2);
      assertThat(emulator.dataDirProblems().get(0)).contains("broken.json", "broken.json.unreadable");
      assertThat(emulator.dataDirProblems().get(1)).contains("incomplete.json", "no targetArn");
    }
    assertThat(dir.resolve("broken.json")).doesNotExist();
    assertThat(dir.resolve("broken.json.unreadable")).hasContent("{\"bus\":\"default\",");
    assertThat(dir.resolve("incomplete.json.unreadable")).exists();
  }

  @Test
  void refusesASecondEmulatorOnTheSameDirectory() throws Exception {
    try (EventBridgeEmulator first = EventBridgeEmulator.start(options())) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> EventBridgeEmulator.start(options())))
          .isInstanceOf(IOException.class).hasMessageContaining("in use by another local EventBridge");
    }
  }

  @Test
  void losesAWaitingRetryInMemoryAndSaysSo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EventBridgeEmulator emulator = EventBridgeEmulator.start(EventBridgeEmulator.Options.defaults("us-east-1",
        "000000000000").withBackoff(AN_HOUR));
    String closing;
    try {
      emulator.putRule("default", "memory", PATTERN, throttled(calls));
      emulator.putEvent("default", "restart", "t", List.of(), "{}");
      await(() -> emulator.pendingRetries() == 1);
      assertThat(emulator.dataDirProblems()).isEmpty();
    } finally {
      closing = stderrOf(emulator::close);
    }
    assertThat(closing).contains("1 target deliveries were waiting for a retry and are lost with the emulator");
  }

  /** The record files in the data directory's {@code pending-retries/}. */
  private List<Path> records() {
    try (Stream<Path> files = Files.list(data.resolve("pending-retries"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %d ms", WAIT).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** What {@code action} writes to standard error, where the tests' slf4j-simple logs warnings. */
  private static String stderrOf(Runnable action) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    err.print(text);
    return text;
  }
}
