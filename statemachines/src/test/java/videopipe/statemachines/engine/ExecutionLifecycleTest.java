package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * StartExecution's name rules and idempotency, StopExecution (ABORTED) and the definition's
 * TimeoutSeconds (TIMED_OUT), as the Step Functions API reference describes them; both stopped
 * kinds are redrivable and resume at the state they were in.
 */
class ExecutionLifecycleTest {

  static final String ONE_TASK = """
      {@TIMEOUT@"StartAt": "Work", "States": {"Work": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}}""";

  /** Hangs until {@code works} is set, then returns "done". */
  static TaskInvoker hangingUntil(AtomicBoolean works) {
    return (function, payload) -> works.get()
        ? CompletableFuture.completedFuture(new Invocation.Returned("done"))
        : new CompletableFuture<>();
  }

  static void refused(Runnable call, RequestRejected.Code code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void stopAbortsARunningExecutionAndRedriveFinishesIt() throws InterruptedException {
    AtomicBoolean works = new AtomicBoolean();
    try (Harness h = new Harness(hangingUntil(works))) {
      Execution started = h.start(ONE_TASK.replace("@TIMEOUT@", ""), "{}");
      for (int i = 0; i < 60_000 && !Harness.types(h.engine.describe(started.arn())).contains("LambdaFunctionStarted"); i++) {
        Thread.sleep(1);
      }
      Execution stopped = h.engine.stop(started.arn(), "Operator.Stop", "stuck");
      assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
      assertThat(stopped.redrivable()).isTrue();
      assertThat(Harness.types(stopped)).last().isEqualTo("ExecutionAborted");

      works.set(true);
      h.engine.redrive(started.arn());
      Execution done = h.await(started.arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo("done");
      assertThat(RedriveTest.entered(done, "Work")).isEqualTo(2);
    }
  }

  @Test
  void stoppingAFinishedExecutionChangesNothing() {
    AtomicBoolean works = new AtomicBoolean(true);
    try (Harness h = new Harness(hangingUntil(works))) {
      Execution done = h.run(ONE_TASK.replace("@TIMEOUT@", ""), "{}");
      assertThat(h.engine.stop(done.arn(), "E", "C").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void timesOutAfterTheDefinitionsTimeoutSeconds() {
    AtomicBoolean works = new AtomicBoolean();
    try (Harness h = new Harness(hangingUntil(works))) {
      Execution started = h.start(ONE_TASK.replace("@TIMEOUT@", "\"TimeoutSeconds\": 60, "), "{}");
      h.timer.fireDeadlines();
      Execution timedOut = h.engine.describe(started.arn());
      assertThat(timedOut.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
      assertThat(timedOut.error().get().error()).isEqualTo("States.Timeout");
      assertThat(timedOut.stopDate()).isEqualTo(Harness.START.plusSeconds(60));
      assertThat(Harness.types(timedOut)).last().isEqualTo("ExecutionTimedOut");

      works.set(true);
      h.engine.redrive(started.arn());
      assertThat(h.await(started.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void aDeadlineAfterTheEndChangesNothing() {
    AtomicBoolean works = new AtomicBoolean(true);
    try (Harness h = new Harness(hangingUntil(works))) {
      Execution done = h.run(ONE_TASK.replace("@TIMEOUT@", "\"TimeoutSeconds\": 60, "), "{}");
      h.timer.fireDeadlines();
      assertThat(h.engine.describe(done.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Harness.types(h.engine.describe(done.arn()))).doesNotContain("ExecutionTimedOut");
    }
  }

  @Test
  void startingARunningExecutionAgainWithTheSameInputReturnsIt() {
    AtomicBoolean works = new AtomicBoolean();
    try (Harness h = new Harness(hangingUntil(works))) {
      StateMachine sm = h.machine(ONE_TASK.replace("@TIMEOUT@", ""));
      Execution first = h.engine.start(sm, "upload-v1", "{\"a\": 1, \"b\": 2}");
      Execution again = h.engine.start(sm, "upload-v1", "{\"b\": 2, \"a\": 1}");
      assertThat(again.arn()).isEqualTo(first.arn());
      assertThat(again.startDate()).isEqualTo(first.startDate());
      refused(() -> h.engine.start(sm, "upload-v1", "{\"a\": 2}"), RequestRejected.Code.ExecutionAlreadyExists);
    }
  }

  @Test
  void refusesTheNameOfAFinishedExecution() {
    AtomicBoolean works = new AtomicBoolean(true);
    try (Harness h = new Harness(hangingUntil(works))) {
      StateMachine sm = h.machine(ONE_TASK.replace("@TIMEOUT@", ""));
      Execution done = h.await(h.engine.start(sm, "upload-v1", "{}").arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      refused(() -> h.engine.start(sm, "upload-v1", "{}"), RequestRejected.Code.ExecutionAlreadyExists);
    }
  }

  @Test
  void refusesNamesAwsRefuses() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      StateMachine sm = h.machine(ONE_TASK.replace("@TIMEOUT@", ""));
      for (String name : List.of("", "a b", "a/b", "x".repeat(81), "tab\there", "a*")) {
        refused(() -> h.engine.start(sm, name, "{}"), RequestRejected.Code.InvalidName);
      }
    }
  }

  @Test
  void refusesInputThatIsNotJson() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      StateMachine sm = h.machine(ONE_TASK.replace("@TIMEOUT@", ""));
      refused(() -> h.engine.start(sm, "bad-input", "{oops"), RequestRejected.Code.InvalidExecutionInput);
    }
  }
}
