package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import videopipe.statemachines.asl.Definition;

/**
 * An engine with a journal directory, replaced by a new engine on the same directory (a restart),
 * on a fake clock: a resumed task's deadlines count from when the task started and from its last
 * heartbeat, not from the restart; a Wait wakes when it was due to.
 */
class JournalTest {

  static final String ROLE = "arn:aws:iam::123456789012:role/test";
  static final String CALLBACK = """
      {"StartAt": "Submit", "States": {"Submit": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "submitTranscode", "Payload": {"taskToken.$": "$$.Task.Token"}},
        "TimeoutSeconds": 300, "HeartbeatSeconds": 60, "End": true}}}""";

  @TempDir
  Path dir;

  final FakeClock clock = new FakeClock(Harness.START);
  final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  Engine engine(FakeTimer timer, TaskInvoker invoker) {
    return new Engine(invoker, clock, new SplittableRandom(1), executor, timer, "us-east-1", "123456789012", dir);
  }

  static StateMachine machine(Engine engine, String definition) {
    return engine.register("test", Definition.parse(definition), ROLE, definition);
  }

  static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aResumedTaskKeepsItsTimeoutAndItsLastHeartbeat() throws Exception {
    TaskTokenTest.Submit submit = new TaskTokenTest.Submit();
    FakeTimer before = new FakeTimer(clock, true);
    Engine first = engine(before, submit.invoker());
    first.recover();
    Execution started = first.start(machine(first, CALLBACK), "run-1", "{}");
    String token = submit.next();
    eventually(() -> first.describe(started.arn()).history().stream().anyMatch(e -> e.type().equals("TaskSubmitted")),
        "TaskSubmitted recorded");
    clock.advanceTo(Harness.START.plusSeconds(40));
    first.sendTaskHeartbeat(token);
    first.close();

    clock.advanceTo(Harness.START.plusSeconds(50));
    FakeTimer after = new FakeTimer(clock, true);
    Engine second = engine(after, TaskInvoker.of(call -> {
      throw new AssertionError("the function already returned: it must not be called again");
    }));
    Engine.Recovered recovered = second.recover();

    assertThat(recovered.resumed()).isEqualTo(1);
    assertThat(recovered.problems()).isEmpty();
    eventually(() -> after.deadlines.size() >= 2, "the resumed task's deadlines armed");
    assertThat(after.deadlines).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder(Harness.START.plusSeconds(300), Harness.START.plusSeconds(40 + 60));
    second.sendTaskSuccess(token, "{\"done\": true}");
    Execution done = second.completion(started.arn()).get(60, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    Harness.assertJson(done.output(), "{\"done\": true}");
  }

  @Test
  void aResumedWaitWakesWhenItWasDue() throws Exception {
    FakeTimer before = new FakeTimer(clock, true);
    Engine first = engine(before, TaskInvoker.of(call -> Map.of()));
    first.recover();
    Execution started = first.start(machine(first, """
        {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 100, "End": true}}}"""), "run-1", "{}");
    eventually(() -> !before.held.isEmpty(), "the Wait armed");
    first.close();

    clock.advanceTo(Harness.START.plusSeconds(30));
    FakeTimer after = new FakeTimer(clock, false);
    Engine second = engine(after, TaskInvoker.of(call -> Map.of()));
    second.recover();

    Execution done = second.completion(started.arn()).get(60, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(after.waits).as("what was left of the 100 s").containsExactly(java.time.Duration.ofSeconds(70));
    assertThat(Harness.types(done)).containsExactly("ExecutionStarted", "WaitStateEntered", "WaitStateExited",
        "ExecutionSucceeded");
  }

  @Test
  void anExecutionThatTimedOutWhileStoppedTimesOutOnRecovery() throws Exception {
    FakeTimer before = new FakeTimer(clock, true);
    Engine first = engine(before, TaskInvoker.of(call -> Map.of()));
    first.recover();
    Execution started = first.start(machine(first, """
        {"TimeoutSeconds": 60, "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 100, "End": true}}}"""),
        "run-1", "{}");
    eventually(() -> !before.held.isEmpty(), "the Wait armed");
    first.close();

    clock.advanceTo(Harness.START.plusSeconds(90));
    FakeTimer after = new FakeTimer(clock, true);
    Engine second = engine(after, TaskInvoker.of(call -> Map.of()));
    second.recover();
    eventually(() -> !after.deadlines.isEmpty(), "the execution's timeout armed");
    assertThat(after.deadlines.get(0).getKey()).isEqualTo(Harness.START.plusSeconds(60));
    after.fireDeadlines();

    Execution done = second.completion(started.arn()).get(60, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
  }
}
