package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import videopipe.statemachines.asl.InvalidDefinition;

/**
 * The States.* intrinsic functions, each run in a Pass state's Parameters as {@code "r.$"}. The
 * source says whether a case is an example of the Step Functions guide (intrinsic-functions) or
 * ours (not checked against AWS).
 */
class IntrinsicsTest {

  record Case(String call, String input, String result, String source) {
    @Override
    public String toString() {
      return call + " [" + source + "]";
    }
  }

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness = new Harness(TaskInvoker.of(call -> null));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  static final String DOCS = "AWS docs";
  static final String OURS = "ours";
  static final String NINE = "{\"inputArray\": [1, 2, 3, 4, 5, 6, 7, 8, 9], \"index\": 5, \"lookingFor\": 5}";

  static Stream<Case> cases() {
    return Stream.of(
        new Case("States.Format('Hello, my name is {}.', $.name)", "{\"name\": \"Arnav\"}", "\"Hello, my name is Arnav.\"", DOCS),
        new Case("States.Format('{} is {} and {}', $.n, $.b, $.z)", "{\"n\": 1.5, \"b\": true, \"z\": null}", "\"1.5 is true and null\"", OURS),
        new Case("States.Format('it\\'s \\{literal\\} {}', $.x)", "{\"x\": \"ok\"}", "\"it's {literal} ok\"", DOCS),
        new Case("States.StringToJson($.someString)", "{\"someString\": \"{\\\"number\\\": 20}\"}", "{\"number\": 20}", DOCS),
        new Case("States.JsonToString($.someJson)", "{\"someJson\": {\"name\": \"Foo\", \"year\": 2020}}",
            "\"{\\\"name\\\":\\\"Foo\\\",\\\"year\\\":2020}\"", DOCS),
        new Case("States.Array('Foo', 2020, $.someJson, null)", "{\"someJson\": {\"random\": \"abcdefg\"}}",
            "[\"Foo\", 2020, {\"random\": \"abcdefg\"}, null]", DOCS),
        new Case("States.ArrayPartition($.inputArray, 4)", NINE, "[[1,2,3,4],[5,6,7,8],[9]]", DOCS),
        new Case("States.ArrayContains($.inputArray, $.lookingFor)", NINE, "true", DOCS),
        new Case("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]", DOCS),
        new Case("States.ArrayGetItem($.inputArray, $.index)", NINE, "6", DOCS),
        new Case("States.ArrayLength($.inputArray)", NINE, "9", DOCS),
        new Case("States.ArrayUnique($.inputArray)", "{\"inputArray\": [1, 2, 3, 3, 3, 3, 3, 3, 4]}", "[1,2,3,4]", DOCS),
        new Case("States.Base64Encode($.input)", "{\"input\": \"Data to encode\"}", "\"RGF0YSB0byBlbmNvZGU=\"", DOCS),
        new Case("States.Base64Decode($.base64)", "{\"base64\": \"RGF0YSB0byBlbmNvZGU=\"}", "\"Data to encode\"", DOCS),
        new Case("States.Hash($.Data, $.Algorithm)", "{\"Data\": \"input data\", \"Algorithm\": \"SHA-1\"}",
            "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"", DOCS),
        new Case("States.JsonMerge($.json1, $.json2, false)",
            "{\"json1\": {\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}, \"json2\": {\"a\": {\"a3\": 1, \"a4\": 2}, \"c\": 3}}",
            "{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}", DOCS),
        new Case("States.MathAdd($.value1, $.step)", "{\"value1\": 111, \"step\": -1}", "110", DOCS),
        new Case("States.StringSplit($.inputString, $.splitter)", "{\"inputString\": \"1,2,3,4,5\", \"splitter\": \",\"}",
            "[\"1\",\"2\",\"3\",\"4\",\"5\"]", DOCS),
        new Case("States.StringSplit($.inputString, $.splitter)",
            "{\"inputString\": \"This.is+a,test=string\", \"splitter\": \".+,=\"}", "[\"This\",\"is\",\"a\",\"test\",\"string\"]", DOCS),
        new Case("States.Format('{} items', States.ArrayLength(States.ArrayRange(0, 4, 1)))", "{}", "\"5 items\"", OURS),
        new Case("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, 'e'), 1)", "{}", "\"st\"", OURS));
  }

  private static Execution run(String call, String input) {
    return harness.run("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"r.$": "@CALL@"}, "OutputPath": "$.r", "End": true}}}"""
        .replace("@CALL@", call.replace("\\", "\\\\")), input);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void computesWhatAwsDocuments(Case c) {
    Execution e = run(c.call(), c.input());
    assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
    Harness.assertJson(e.output(), c.result());
  }

  @Test
  void uuidGivesAVersion4Uuid() {
    assertThat((String) run("States.UUID()", "{}").output())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void mathRandomStaysInRangeAndRepeatsForASeed() {
    Execution e = run("States.Array(States.MathRandom(1, 10, 7), States.MathRandom(1, 10, 7), States.MathRandom(1, 10))", "{}");
    java.util.List<?> draws = (java.util.List<?>) e.output();
    assertThat(draws.get(0)).isEqualTo(draws.get(1));
    assertThat(draws).allSatisfy(d -> assertThat(((Number) d).longValue()).isBetween(1L, 9L));
  }

  @Test
  void failsWithIntrinsicFailureOnAnIndexOutOfBounds() {
    Execution e = run("States.ArrayGetItem($.a, 3)", "{\"a\": [1]}");
    assertThat(e.error()).get().satisfies(err -> {
      assertThat(err.error()).isEqualTo("States.IntrinsicFailure");
      assertThat(err.cause()).startsWith("States.ArrayGetItem:");
    });
  }

  @Test
  void refusesADeepJsonMerge() {
    Execution e = run("States.JsonMerge($.a, $.a, true)", "{\"a\": {}}");
    assertThat(e.error()).get().extracting(err -> err.error()).isEqualTo("States.IntrinsicFailure");
  }

  @Test
  void refusesAnUnknownFunctionWhenTheDefinitionIsRead() {
    assertThatThrownBy(() -> run("States.Nope($.a)", "{}"))
        .isInstanceOf(InvalidDefinition.class)
        .hasMessageContaining("/States/P/Parameters/r.$: invalid intrinsic function call 'States.Nope($.a)'");
  }

  @Test
  void refusesAnUnterminatedString() {
    assertThatThrownBy(() -> run("States.Format('oops)", "{}"))
        .isInstanceOf(InvalidDefinition.class).hasMessageContaining("unterminated string");
  }

  @Test
  void buildsAFailStateCauseWithAnIntrinsic() {
    Execution e = harness.run("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Rejected",
          "CausePath": "States.Format('video {} is too long', $.videoId)"}}}""", "{\"videoId\": \"v-9\"}");
    assertThat(e.error()).get().isEqualTo(new videopipe.statemachines.asl.StatesError("Rejected", "video v-9 is too long"));
  }

  @Test
  void leavesOtherKeysOfTheTemplateAsTheyAre() {
    Execution e = harness.run("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass",
          "Parameters": {"sum.$": "States.MathAdd($.a, 1)", "kept": "States.MathAdd($.a, 1)"}, "End": true}}}""", "{\"a\": 1}");
    assertThat(e.output()).isEqualTo(Map.of("sum", 2L, "kept", "States.MathAdd($.a, 1)"));
  }
}
