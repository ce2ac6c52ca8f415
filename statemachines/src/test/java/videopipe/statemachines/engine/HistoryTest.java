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

  /**
   * The whole history of a small execution, as GetExecutionHistory shapes it, pinned byte for
   * byte: payloads with escapes, numbers and nulls, the context object read from JSONPath and
   * JSONata, a task's result. Pinned (in {@code pinned-history.json}) before
   * history payloads were serialised lazily.
   */
  @Test
  void theHistoryOfASmallExecutionIsPinnedByteForByte() throws Exception {
    try (Harness h = new Harness(TaskInvoker.of(call -> Map.of("list", java.util.Arrays.asList(1, 2.5, "x", null))))) {
      Execution e = h.run("""
          {"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Parameters": {"ctx.$": "$$", "in.$": "$", "s": "\u00e9\\"\\n<", "n": 1.5, "z": null},
                  "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "@FN@", "Payload.$": "$.in"}, "ResultSelector": {"p.$": "$.Payload"},
                  "ResultPath": "$.r", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.r.p.list[0]", "NumericEquals": 1, "Next": "J"}],
                  "Default": "J"},
            "J": {"Type": "Pass", "QueryLanguage": "JSONata",
                  "Output": "{% {'state': $states.context.State.Name, 'start': $states.context.Execution.StartTime, 'in': $states.input.s, 'n': $states.input.n} %}",
                  "End": true}}}""".replace("@FN@", FN), "{\"a\": [1, {\"b\": null}], \"t\": \"\\u0001\"}");
      String json = videopipe.statemachines.asl.Json.write(e.history().stream().map(HistoryEvent::toAws).toList());
      assertThat(json).isEqualTo(pinned());
    }
  }

  /** The history above as it was recorded when pinned (before payloads were serialised lazily). */
  private static String pinned() throws java.io.IOException {
    try (java.io.InputStream in = HistoryTest.class.getResourceAsStream("pinned-history.json")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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
