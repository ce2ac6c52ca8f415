package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history events and their details, in AWS's format. The event sequences follow the history
 * examples of the Step Functions guide and API reference; previousEventId and the SDK metadata of
 * lambda:invoke results are not reproduced yet (not checked against AWS).
 */
class HistoryTest {

  static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:hello";

  @Test
  void recordsAPlainLambdaTaskAsLambdaFunctionEvents() {
    try (Harness h = new Harness(TaskInvoker.of(call -> "hi"))) {
      Execution e = h.run("""
          {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "@FN@", "End": true}}}""".replace("@FN@", FN), "{}");
      assertThat(Harness.types(e)).containsExactly("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
          "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded");
    }
  }

  @Test
  void recordsLambdaInvokeAsTaskEventsWithTheResource() {
    try (Harness h = new Harness(TaskInvoker.of(call -> "hi"))) {
      Execution e = h.run("""
          {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "@FN@"}, "End": true}}}""".replace("@FN@", FN), "{}");
      assertThat(Harness.types(e)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
          "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
      HistoryEvent scheduled = e.history().get(2);
      assertThat(scheduled.details()).containsEntry("resourceType", "lambda").containsEntry("resource", "invoke")
          .containsEntry("region", "us-east-1").containsEntry("parameters", "{\"FunctionName\":\"" + FN + "\"}");
    }
  }

  @Test
  void recordsStateInputAndOutputAsJsonText() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"b": 2}, "End": true}}}""", "{\"a\": 1}");
      assertThat(e.history().get(1).toAws()).containsEntry("type", "PassStateEntered")
          .containsEntry("stateEnteredEventDetails", Map.of("name", "P", "input", "{\"a\":1}", "inputDetails", Map.of("truncated", false)));
      assertThat(e.history().get(2).details()).containsEntry("output", "{\"b\":2}");
      assertThat(e.history().get(3).details()).containsEntry("output", "{\"b\":2}");
    }
  }

  @Test
  void recordsAFailStateAndTheExecutionFailure() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}""", "{}");
      assertThat(Harness.types(e)).containsExactly("ExecutionStarted", "FailStateEntered", "ExecutionFailed");
      assertThat(e.history().get(2).details()).isEqualTo(Map.of("error", "E", "cause", "C"));
    }
  }

  @Test
  void numbersEventsFromOne() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}""", "{}");
      assertThat(e.history()).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void aWaitHoldsNoThreadAndResumesAtItsTime() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2026-11-24T13:00:00Z", "End": true}}}""", "{}");
      assertThat(h.timer.waits).containsExactly(java.time.Duration.ofHours(1));
      assertThat(e.stopDate()).isEqualTo(java.time.Instant.parse("2026-11-24T13:00:00Z"));
    }
  }
}
