package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import videopipe.statemachines.asl.StatesError;

/**
 * Retry and Catch as AWS applies them, on a fake clock: the back-offs asked of the timer are the
 * ones the Retrier computes, and nothing sleeps.
 */
class RetryCatchTest {

  static final String TRANSIENT = "videopipe.functions.TransientFailure";
  static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:work";

  /** Fails with {@code error} the first {@code failures} calls, then returns {"ok": true}. */
  static TaskInvoker failing(int failures, String error, AtomicInteger calls) {
    return TaskInvoker.of(call -> {
      if (calls.incrementAndGet() <= failures) {
        throw new TaskInvoker.TaskFailure(error, "{\"errorMessage\":\"try again\"}");
      }
      return Map.of("ok", true);
    });
  }

  static String task(String retryAndCatch) {
    return """
        {"StartAt": "Work", "States": {
          "Work": {"Type": "Task", "Resource": "@FN@", @RC@, "Next": "Done"},
          "Done": {"Type": "Succeed"}@HANDLED@}}""".replace("@FN@", FN).replace("@RC@", retryAndCatch)
        // Only with a Catch going there: an unreachable state is refused.
        .replace("@HANDLED@", retryAndCatch.contains("Handled") ? ", \"Handled\": {\"Type\": \"Pass\", \"End\": true}" : "");
  }

  @Test
  void retriesATransientErrorWithBackoffThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(2, TRANSIENT, calls))) {
      Execution e = h.run(task("""
          "Retry": [{"ErrorEquals": ["%s"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]""".replace("%s", TRANSIENT)), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(calls).hasValue(3);
      assertThat(h.timer.waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6));
      assertThat(Harness.types(e)).filteredOn("TaskStateEntered"::equals).hasSize(1);
      assertThat(Harness.types(e)).filteredOn("LambdaFunctionFailed"::equals).hasSize(2);
    }
  }

  @Test
  void catchesOnceRetriesAreSpentAndPlacesTheErrorAtResultPath() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(99, TRANSIENT, calls))) {
      Execution e = h.run(task("""
          "Retry": [{"ErrorEquals": ["%s"], "MaxAttempts": 2}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}]""".replace("%s", TRANSIENT)),
          "{\"videoId\": \"v1\"}");
      assertThat(calls).hasValue(3);
      Harness.assertJson(e.output(), """
          {"videoId": "v1", "error": {"Error": "%s", "Cause": "{\\"errorMessage\\":\\"try again\\"}"}}""".replace("%s", TRANSIENT));
    }
  }

  @Test
  void maxAttemptsZeroNeverRetries() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(1, TRANSIENT, calls))) {
      Execution e = h.run(task("""
          "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]"""), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void aSpentRetrierDoesNotFallThroughToALaterOne() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(99, TRANSIENT, calls))) {
      Execution e = h.run(task("""
          "Retry": [{"ErrorEquals": ["%s"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]"""
          .replace("%s", TRANSIENT)), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(calls).hasValue(2);
      assertThat(e.error()).get().extracting(StatesError::error).isEqualTo(TRANSIENT);
    }
  }

  @Test
  void eachRetrierCountsItsOwnAttempts() {
    AtomicInteger calls = new AtomicInteger();
    TaskInvoker alternating = TaskInvoker.of(call -> {
      int n = calls.incrementAndGet();
      if (n <= 4) {
        throw new TaskInvoker.TaskFailure(n % 2 == 1 ? "A" : "B", "x");
      }
      return "ok";
    });
    try (Harness h = new Harness(alternating)) {
      Execution e = h.run(task("""
          "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 2}, {"ErrorEquals": ["B"], "MaxAttempts": 2}]"""), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(calls).hasValue(5);
    }
  }

  @Test
  void fullJitterUsesTheInjectedRandom() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(1, TRANSIENT, calls), 0.25, false)) {
      h.run(task("""
          "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 8, "JitterStrategy": "FULL"}]"""), "{}");
      assertThat(h.timer.waits).containsExactly(Duration.ofSeconds(2));
    }
  }

  @Test
  void maxDelaySecondsCapsTheBackoff() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(3, TRANSIENT, calls))) {
      h.run(task("""
          "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 10, "MaxDelaySeconds": 50}]"""), "{}");
      assertThat(h.timer.waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(50), Duration.ofSeconds(50));
    }
  }

  @Test
  void statesAllCannotCatchARuntimeError() {
    try (Harness h = new Harness(TaskInvoker.of(call -> "never called"))) {
      Execution e = h.run(task("""
          "Parameters": {"x.$": "$.missing"},
          "Retry": [{"ErrorEquals": ["States.ALL"]}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]"""), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(e.error()).get().extracting(StatesError::error).isEqualTo(StatesError.RUNTIME);
      assertThat(h.timer.waits).isEmpty();
    }
  }

  @Test
  void timesOutAfterTimeoutSecondsAndTaskFailedDoesNotCatchIt() {
    try (Harness h = new Harness((function, payload) -> new CompletableFuture<>())) {
      Execution started = h.start(task("""
          "TimeoutSeconds": 1,
          "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}]"""), "{}");
      h.fireDeadlinesOnceArmed(1);
      Execution e = h.await(started.arn());
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(e.error()).get().extracting(StatesError::error).isEqualTo(StatesError.TIMEOUT);
      assertThat(Harness.types(e)).contains("LambdaFunctionTimedOut");
    }
  }

  @Test
  void jsonataCatcherOutputAndAssignSeeTheErrorOutput() {
    AtomicInteger calls = new AtomicInteger();
    try (Harness h = new Harness(failing(99, "Boom", calls))) {
      Execution e = h.run("""
          {"QueryLanguage": "JSONata", "StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "@FN@", "Next": "Done",
              "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handled",
                "Assign": {"failedWith": "{% $states.errorOutput.Error %}"},
                "Output": {"input": "{% $states.input %}", "error": "{% $states.errorOutput.Error %}"}}]},
            "Done": {"Type": "Succeed"},
            "Handled": {"Type": "Pass", "Output": {"was": "{% $states.input %}", "var": "{% $failedWith %}"}, "End": true}}}"""
          .replace("@FN@", FN), "{\"a\": 1}");
      Harness.assertJson(e.output(), """
          {"was": {"input": {"a": 1}, "error": "Boom"}, "var": "Boom"}""");
    }
  }
}
