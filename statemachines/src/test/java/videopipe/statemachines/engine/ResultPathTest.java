package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ResultPath written along names, bracketed names and indices, copying the input on the way. */
class ResultPathTest {

  @Test
  void writesAlongNamesBracketedNamesAndIndices() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1},
            "ResultPath": "$.a['b c'][1].d", "Next": "Q"},
            "Q": {"Type": "Pass", "Result": 2, "ResultPath": "$.new.deep", "End": true}}}""",
          "{\"a\": {\"b c\": [0, {\"keep\": true}]}, \"z\": 1}");
      Harness.assertJson(e.output(),
          "{\"a\": {\"b c\": [0, {\"keep\": true, \"d\": {\"x\": 1}}]}, \"z\": 1, \"new\": {\"deep\": 2}}");
    }
  }

  @Test
  void failsWhenAnIndexIsOutOfRange() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a[5]", "End": true}}}""",
          "{\"a\": [0]}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(e.error()).get().extracting(err -> err.error()).isEqualTo("States.ResultPathMatchFailure");
    }
  }
}
