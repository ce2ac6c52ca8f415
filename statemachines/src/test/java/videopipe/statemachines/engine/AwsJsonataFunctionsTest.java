package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSONata functions Step Functions adds and removes. Expected values from the examples of the
 * Step Functions guide (transforming-data), except where a test says "ours".
 */
class AwsJsonataFunctionsTest {

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness = new Harness(TaskInvoker.of(call -> null));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Execution output(String expression, String input) {
    return harness.run("""
        {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
          "Output": "{% @X@ %}", "End": true}}}""".replace("@X@", expression), input);
  }

  @Test
  void partitionSplitsAnArrayIntoChunks() {
    Harness.assertJson(output("$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)", "{}").output(), "[[1,2,3],[4,5,6],[7,8,9]]");
  }

  @Test
  void partitionLeavesASmallerLastChunk() {
    Harness.assertJson(output("$partition([1, 2, 3, 4], 3)", "{}").output(), "[[1,2,3],[4]]");
  }

  @Test
  void rangeIncludesItsEnd() {
    Harness.assertJson(output("$range(0, 10, 2)", "{}").output(), "[0,2,4,6,8,10]");
  }

  @Test
  void rangeCountsDownWithANegativeStep() {
    Harness.assertJson(output("$range(3, 1, -1)", "{}").output(), "[3,2,1]");
  }

  @Test
  void hashGivesHexDigests() {
    assertThat(output("$hash('input data', 'SHA-1')", "{}").output()).isEqualTo("aaff4a450a104cd177d28d18d74485e8cae074b7");
  }

  @Test
  void hashRefusesAnUnknownAlgorithm() {
    assertThat(output("$hash('x', 'CRC32')", "{}").error()).get()
        .extracting(e -> e.error()).isEqualTo("States.QueryEvaluationError");
  }

  @Test
  void parseReadsJsonText() {
    Harness.assertJson(output("$parse($states.input.body).a", "{\"body\": \"{\\\"a\\\": [1]}\"}").output(), "[1]");
  }

  @Test
  void evalIsNotAvailable() {
    assertThat(output("$eval('1 + 1')", "{}").error()).get()
        .extracting(e -> e.error()).isEqualTo("States.QueryEvaluationError");
  }

  @Test
  void uuidIsAVersion4Uuid() {
    assertThat((String) output("$uuid()", "{}").output())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void seededRandomRepeatsItself() {
    Execution e = output("[$random(42), $random(42), $random()]", "{}");
    @SuppressWarnings("unchecked")
    java.util.List<Number> draws = (java.util.List<Number>) e.output();
    assertThat(draws.get(0)).isEqualTo(draws.get(1));
    assertThat(draws.get(2).doubleValue()).isBetween(0.0, 1.0);
  }

  @Test
  void aStringWithSpacesAroundTheBracesIsALiteral() {
    Execution e = harness.run("""
        {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
          "Output": {"x": " {% 1 + 1 %}"}, "End": true}}}""", "{}");
    assertThat(e.output()).isEqualTo(Map.of("x", " {% 1 + 1 %}"));
  }
}
