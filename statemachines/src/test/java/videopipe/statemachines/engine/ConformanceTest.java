package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small definitions with an input and the output (or error) Step Functions gives. Each case says
 * where its expectation comes from: {@code AWS docs} (an example of the Step Functions developer
 * guide, reproduced) or {@code ours} (what we believe AWS does, not yet checked against AWS).
 * The one function, {@code hello}, is the guide's: it returns "Hello, " + who + "!".
 */
class ConformanceTest {

  record Case(String name, String source, String definition, String input, String output, String error) {
    @Override
    public String toString() {
      return name + " [" + source + "]";
    }
  }

  static final String HELLO = "arn:aws:lambda:us-east-1:123456789012:function:hello";

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness = new Harness(TaskInvoker.of(call -> {
      Object payload = call.payload();
      if (call.function().endsWith(":echo")) {
        return payload;
      }
      return "Hello, " + ((Map<?, ?>) payload).get("who") + "!";
    }));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  static Case ok(String name, String source, String definition, String input, String output) {
    return new Case(name, source, definition, input, output, null);
  }

  static Case fails(String name, String source, String definition, String input, String error) {
    return new Case(name, source, definition, input, null, error);
  }

  static Stream<Case> cases() {
    return Stream.of(
        ok("InputPath, ResultPath and OutputPath together", "AWS docs (input-output-example)", """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Task", "Resource": "@HELLO@",
              "InputPath": "$.lambda", "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data", "End": true}}}"""
            .replace("@HELLO@", HELLO), """
            {"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo",
             "lambda": {"who": "AWS Step Functions"}}""", """
            {"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}"""),
        ok("ResultPath adds the result to the input", "AWS docs (input-output-resultpath)", """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Task", "Resource": "@HELLO@",
              "ResultPath": "$.taskresult", "End": true}}}""".replace("@HELLO@", HELLO), """
            {"comment": "This is a test", "details": "Default example", "who": "AWS Step Functions"}""", """
            {"comment": "This is a test", "details": "Default example", "who": "AWS Step Functions",
             "taskresult": "Hello, AWS Step Functions!"}"""),
        ok("ResultPath null discards the result", "AWS docs (input-output-resultpath)", """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Task", "Resource": "@HELLO@",
              "ResultPath": null, "End": true}}}""".replace("@HELLO@", HELLO), """
            {"who": "AWS Step Functions"}""", """
            {"who": "AWS Step Functions"}"""),
        ok("ResultPath $ replaces the input", "AWS docs (input-output-resultpath)", """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Task", "Resource": "@HELLO@", "End": true}}}""".replace("@HELLO@", HELLO), """
            {"who": "AWS Step Functions"}""", """
            "Hello, AWS Step Functions!\""""),
        ok("Parameters select and add fields", "AWS docs (input-output-inputpath-params)", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
              "comment": "Selecting what I care about.",
              "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}},
              "End": true}}}""", """
            {"comment": "Example for Parameters.", "product": {"details": {"color": "blue", "size": "small",
             "material": "cotton"}, "availability": "in stock", "sku": "2317", "cost": "$23"}}""", """
            {"comment": "Selecting what I care about.", "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}}"""),
        ok("InputPath selects an array slice", "AWS docs (input-output-inputpath-params)", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a[0:2]", "End": true}}}""", """
            {"a": [1, 2, 3, 4]}""", "[1, 2]"),
        ok("Pass Result placed at ResultPath", "AWS docs (state-pass)", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
              "ResultPath": "$.coords", "End": true}}}""", """
            {"georefOf": "Home"}""", """
            {"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}"""),
        ok("ResultSelector picks from the task result", "ours", """
            {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:echo", "Payload.$": "$"},
              "ResultSelector": {"echoed.$": "$.Payload.v", "status.$": "$.StatusCode"}, "ResultPath": "$.r", "End": true}}}""", """
            {"v": 7}""", """
            {"v": 7, "r": {"echoed": 7, "status": 200}}"""),
        ok("OutputPath null gives an empty object", "ours (ASL spec)", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": null, "End": true}}}""", """
            {"a": 1}""", "{}"),
        ok("Context object in Parameters", "ours", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
              "state.$": "$$.State.Name", "machine.$": "$$.StateMachine.Name", "input.$": "$$.Execution.Input.a"}, "End": true}}}""", """
            {"a": 1}""", """
            {"state": "P", "machine": "test", "input": 1}"""),
        fails("Parameters path that selects nothing", "ours (message ours)", """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": true}}}""",
            "{}", "States.Runtime"),
        ok("Choice with And, numeric and string rules", "AWS docs (state-choice)", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
              {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}],
               "Next": "ValueInTwenties"}],
              "Default": "DefaultState"},
              "Public": {"Type": "Pass", "Result": "Public", "End": true},
              "ValueInTwenties": {"Type": "Pass", "Result": "ValueInTwenties", "End": true},
              "DefaultState": {"Type": "Pass", "Result": "Default", "End": true}}}""", """
            {"type": "Private", "value": 22}""", "\"ValueInTwenties\""),
        ok("StringMatches with a wildcard", "AWS docs (state-choice)", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Variable": "$.file", "StringMatches": "log-*.txt", "Next": "Y"}], "Default": "N"},
              "Y": {"Type": "Pass", "Result": true, "End": true}, "N": {"Type": "Pass", "Result": false, "End": true}}}""", """
            {"file": "log-2026-11-24.txt"}""", "true"),
        ok("A comparison of the wrong type is false, not an error", "ours", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Variable": "$.n", "StringEquals": "1", "Next": "Y"}], "Default": "N"},
              "Y": {"Type": "Pass", "Result": "Y", "End": true}, "N": {"Type": "Pass", "Result": "N", "End": true}}}""", """
            {"n": 1}""", "\"N\""),
        ok("IsPresent false on a missing field", "AWS docs (state-choice)", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Variable": "$.captions", "IsPresent": false, "Next": "Y"}], "Default": "N"},
              "Y": {"Type": "Pass", "Result": "Y", "End": true}, "N": {"Type": "Pass", "Result": "N", "End": true}}}""",
            "{}", "\"Y\""),
        ok("Timestamp and path comparisons", "ours", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"And": [{"Variable": "$.t", "TimestampLessThan": "2026-11-24T00:00:00Z"},
                       {"Variable": "$.a", "NumericEqualsPath": "$.b"}], "Next": "Y"}], "Default": "N"},
              "Y": {"Type": "Pass", "Result": "Y", "End": true}, "N": {"Type": "Pass", "Result": "N", "End": true}}}""", """
            {"t": "2026-01-01T00:00:00+01:00", "a": 2, "b": 2.0}""", "\"Y\""),
        fails("No Choice rule matched and no Default", "AWS docs (concepts-error-handling)", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Variable": "$.n", "NumericEquals": 1, "Next": "Y"}]}, "Y": {"Type": "Succeed"}}}""", """
            {"n": 2}""", "States.NoChoiceMatched"),
        fails("Choice on a missing Variable", "ours", """
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Variable": "$.n", "NumericEquals": 1, "Next": "Y"}], "Default": "Y"}, "Y": {"Type": "Succeed"}}}""",
            "{}", "States.Runtime"),
        fails("Fail state with Error and Cause", "AWS docs (state-fail)", """
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack"}}}""",
            "{}", "ErrorA: Kaiju attack"),
        fails("Fail state with ErrorPath and CausePath", "AWS docs (state-fail)", """
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}}""", """
            {"e": "Oops", "c": "because"}""", "Oops: because"),
        ok("Succeed with OutputPath", "ours", """
            {"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}}""", """
            {"a": {"b": 1}}""", """
            {"b": 1}"""),
        ok("Wait then pass the input on", "ours", """
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}""", """
            {"s": 5}""", """
            {"s": 5}"""),
        ok("JSONata Output from $states.input", "AWS docs (transforming-data)", """
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
              "Output": {"total": "{% $sum($states.input.items.price) %}", "first": "{% $states.input.items[0].name %}"},
              "End": true}}}""", """
            {"items": [{"name": "a", "price": 2}, {"name": "b", "price": 3.5}]}""", """
            {"total": 5.5, "first": "a"}"""),
        ok("JSONata variables: Assign, then read in a later state", "AWS docs (workflow-variables)", """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"who": "{% $states.input.who %}", "n": 1}, "Next": "B"},
              "B": {"Type": "Pass", "Output": "{% $who & ' #' & $string($n) %}", "End": true}}}""", """
            {"who": "creator"}""", "\"creator #1\""),
        ok("JSONata Output does not see this state's Assign", "AWS docs (workflow-variables)", """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
              "B": {"Type": "Pass", "Assign": {"x": 2}, "Output": {"seen": "{% $x %}"}, "Next": "C"},
              "C": {"Type": "Pass", "Output": {"seen": "{% $x %}"}, "End": true}}}""",
            "{}", """
            {"seen": 2}"""),
        ok("JSONata Task: Arguments, lambda:invoke result, Output", "ours", """
            {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "@HELLO@", "Payload": {"who": "{% $states.input.name %}"}},
              "Output": {"greeting": "{% $states.result.Payload %}", "code": "{% $states.result.StatusCode %}"},
              "End": true}}}""".replace("@HELLO@", HELLO), """
            {"name": "JSONata"}""", """
            {"greeting": "Hello, JSONata!", "code": 200}"""),
        ok("JSONata Task Output defaults to the result", "AWS docs (transforming-data)", """
            {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "@HELLO@", "End": true}}}"""
            .replace("@HELLO@", HELLO), """
            {"who": "you"}""", "\"Hello, you!\""),
        ok("JSONata context: $states.context", "ours", """
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
              "Output": "{% $states.context.State.Name & '@' & $states.context.StateMachine.Name %}", "End": true}}}""",
            "{}", "\"P@test\""),
        ok("JSONata Choice Condition", "AWS docs (state-choice)", """
            {"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
              {"Condition": "{% $states.input.outcome = 'REJECTED' %}", "Next": "Rejected"}], "Default": "Go"},
              "Rejected": {"Type": "Succeed", "Output": "{% 'rejected: ' & $states.input.reason %}"},
              "Go": {"Type": "Succeed"}}}""", """
            {"outcome": "REJECTED", "reason": "not a video"}""", "\"rejected: not a video\""),
        ok("JSONata keeps JSON null apart from undefined", "ours", """
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
              "Output": {"n": "{% $states.input.n %}"}, "End": true}}}""", """
            {"n": null}""", """
            {"n": null}"""),
        fails("JSONata evaluation error", "AWS docs (concepts-error-handling)", """
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
              "Output": "{% $states.input.a + 'x' %}", "End": true}}}""", """
            {"a": 1}""", "States.QueryEvaluationError"),
        fails("JSONata expression with no result", "ours (AWS refuses undefined; wording ours)", """
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
              "Output": "{% $states.input.missing %}", "End": true}}}""",
            "{}", "States.QueryEvaluationError"),
        fails("JSONata Fail state with expressions", "ours", """
            {"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Fail",
              "Error": "{% 'Video.' & $states.input.kind %}", "Cause": "{% $states.input.why %}"}}}""", """
            {"kind": "Rejected", "why": "too long"}""", "Video.Rejected: too long"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesStepFunctions(Case c) {
    Execution e = harness.run(c.definition(), c.input());
    if (c.error() == null) {
      assertThat(e.status()).as("@HELLO@", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(e.output(), c.output());
    } else {
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      String[] expected = c.error().split(": ", 2);
      assertThat(e.error()).get().extracting(videopipe.statemachines.asl.StatesError::error).isEqualTo(expected[0]);
      if (expected.length > 1) {
        assertThat(e.error().get().cause()).isEqualTo(expected[1]);
      }
    }
  }
}
