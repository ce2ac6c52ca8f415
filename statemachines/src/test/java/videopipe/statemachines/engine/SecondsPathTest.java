package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A JSONPath Task's {@code TimeoutSecondsPath} and {@code HeartbeatSecondsPath}: the ASL
 * specification's reference paths into the state's input that must select a positive integer,
 * standing in for {@code TimeoutSeconds} and {@code HeartbeatSeconds} (AWS docs: Task state,
 * "Timeouts"). What a bad value does (States.Runtime, catchable) is ours, not checked against AWS.
 */
class SecondsPathTest {

  static final String CALLBACK = """
      {"StartAt": "Submit", "States": {"Submit": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "submitTranscode", "Payload": {"taskToken.$": "$$.Task.Token"}},
        @LIMITS@, "End": true}}}""";

  static String callback(String limits) {
    return CALLBACK.replace("@LIMITS@", limits);
  }

  @Test
  void takesTheTimeoutFromTheInput() throws Exception {
    TaskTokenTest.Submit submit = new TaskTokenTest.Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(callback("\"TimeoutSecondsPath\": \"$.limits.timeout\""), "{\"limits\": {\"timeout\": 30}}");
      submit.next();
      h.fireDeadlinesOnceArmed(1);
      Execution failed = h.await(started.arn());
      assertThat(failed.error().get().error()).isEqualTo("States.Timeout");
      assertThat(scheduled(failed)).containsEntry("timeoutInSeconds", 30L);
      assertThat(h.clock.instant()).as("the deadline fired at its time").isEqualTo(Harness.START.plusSeconds(30));
    }
  }

  @Test
  void takesTheHeartbeatFromTheInput() throws Exception {
    TaskTokenTest.Submit submit = new TaskTokenTest.Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(callback("\"TimeoutSeconds\": 600, \"HeartbeatSecondsPath\": \"$.hb\""), "{\"hb\": 5}");
      submit.next();
      assertThat(h.timer.deadlines).extracting(Map.Entry::getKey)
          .contains(Harness.START.plusSeconds(5), Harness.START.plusSeconds(600));
      h.timer.deadlines.stream().filter(d -> d.getKey().equals(Harness.START.plusSeconds(5))).findFirst().orElseThrow()
          .getValue().run();
      Execution failed = h.await(started.arn());
      assertThat(failed.error().get().error()).isEqualTo("States.HeartbeatTimeout");
      assertThat(scheduled(failed)).containsEntry("heartbeatInSeconds", 5L).containsEntry("timeoutInSeconds", 600L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"t\": 0}", "{\"t\": -3}", "{\"t\": 2.5}", "{\"t\": \"30\"}", "{}"})
  void failsTheTaskWithStatesRuntimeUnlessThePathSelectsAPositiveInteger(String input) throws Exception {
    try (Harness h = new Harness(TaskInvoker.of(call -> Map.of()))) {
      Execution failed = h.run(callback("\"TimeoutSecondsPath\": \"$.t\""), input);
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.error().get().error()).isEqualTo("States.Runtime");
      assertThat(Harness.types(failed)).doesNotContain("TaskScheduled");
    }
  }

  @Test
  void aBadValueCanBeCaught() throws Exception {
    try (Harness h = new Harness(TaskInvoker.of(call -> Map.of()))) {
      Execution done = h.run("""
          {"StartAt": "Submit", "States": {
            "Submit": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "TimeoutSecondsPath": "$.t",
              "Catch": [{"ErrorEquals": ["States.Runtime"], "ResultPath": "$.error", "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}}}""", "{\"t\": 0}");
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(((Map<?, ?>) done.output()).get("error"), """
          {"Error": "States.Runtime", "Cause": "The value of $.t must be a positive integer of seconds, was 0"}""");
    }
  }

  @Test
  void aHeartbeatNoShorterThanTheTimeoutFailsTheTask() throws Exception {
    try (Harness h = new Harness(TaskInvoker.of(call -> Map.of()))) {
      Execution failed = h.run(callback("\"TimeoutSeconds\": 10, \"HeartbeatSecondsPath\": \"$.hb\""), "{\"hb\": 10}");
      assertThat(failed.error().get().error()).isEqualTo("States.Runtime");
      assertThat(failed.error().get().cause()).contains("must be shorter than its timeout (10 seconds)");
    }
  }

  private static Map<String, Object> scheduled(Execution e) {
    return e.history().stream().filter(x -> x.type().equals("TaskScheduled")).findFirst().orElseThrow().details();
  }
}
