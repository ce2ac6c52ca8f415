package videopipe.statemachines.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad definitions are refused with every problem and where it is, so that whoever wrote the
 * definition fixes them all at once, and so that nothing AWS would refuse runs here. Locations are
 * JSON pointers like AWS's diagnostics; the message wording is ours (not checked against AWS).
 */
class InvalidDefinitionTest {

  private static List<String> problems(String json) {
    try {
      Definition.parse(json);
    } catch (InvalidDefinition e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("accepted: " + json);
  }

  private static List<Problem> problemList(String json) {
    try {
      Definition.parse(json);
    } catch (InvalidDefinition e) {
      return e.problems();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void namesAMissingNextTargetWithItsPath() {
    assertThat(problems("""
        {"StartAt": "Validate", "States": {
          "Validate": {"Type": "Pass", "Next": "Nope"}}}"""))
        .containsExactly("/States/Validate/Next: state 'Nope' does not exist");
  }

  @Test
  void givesAwsCodeForAMissingTarget() {
    assertThat(problemList("""
        {"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}"""))
        .extracting(Problem::code)
        .contains(Problem.MISSING_TRANSITION_TARGET);
  }

  @Test
  void listsEveryProblemAtOnce() {
    assertThat(problems("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass"},
          "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C", "End": true},
          "C": {"Type": "Bogus"}}}"""))
        .contains(
            "/States/A: missing 'Next' or 'End'",
            "/States/B: a state may have 'Next' or 'End', not both",
            "/States/C/Type: 'Bogus' is not a state type");
  }

  @Test
  void refusesAFieldTheStateTypeDoesNotHave() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Resource": "x", "End": true}}}"""))
        .containsExactly("/States/A/Resource: field 'Resource' is not supported by a JSONPath Pass state");
  }

  @Test
  void refusesJsonPathFieldsInAJsonataState() {
    assertThat(problems("""
        {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
          "A": {"Type": "Pass", "InputPath": "$.x", "End": true}}}"""))
        .containsExactly("/States/A/InputPath: field 'InputPath' is not supported by a JSONata Pass state");
  }

  @Test
  void namesAFeatureThisEngineDoesNotRunYet() {
    assertThat(problemList("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/other"}, "End": true}}}"""))
        .containsExactly(new Problem(Problem.UNSUPPORTED_FEATURE, "/States/A/Credentials",
            "field 'Credentials' is not supported by this engine yet"));
  }

  @Test
  void refusesATimeoutGivenTwice() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 5, "HeartbeatSecondsPath": "$.h",
          "End": true}}}"""))
        .containsExactly("/States/A/TimeoutSecondsPath: cannot be used together with TimeoutSeconds",
            "/States/A/HeartbeatSecondsPath: cannot be used together with HeartbeatSeconds");
  }

  @Test
  void refusesAHeartbeatNoShorterThanTheTimeout() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "TimeoutSeconds": 10, "HeartbeatSeconds": 10, "End": true}}}"""))
        .containsExactly("/States/A/HeartbeatSeconds: must be smaller than TimeoutSeconds (10)");
  }

  @Test
  void refusesAResourceThatIsNotLambda() {
    assertThat(problemList("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}"""))
        .extracting(Problem::code, Problem::location)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Problem.UNSUPPORTED_FEATURE, "/States/A/Resource"));
  }

  @Test
  void refusesStatesAllAnywhereButLast() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
          "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}],
          "Catch": [{"ErrorEquals": ["States.ALL", "X"], "Next": "A"}]}}}"""))
        .containsExactly(
            "/States/A/Retry/0/ErrorEquals: 'States.ALL' must be in the last element of its list",
            "/States/A/Catch/0/ErrorEquals: 'States.ALL' must appear alone in ErrorEquals");
  }

  @Test
  void checksRetrierRanges() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
          "Retry": [{"ErrorEquals": ["X"], "BackoffRate": 0.5, "MaxAttempts": -1, "JitterStrategy": "SOME"}]}}}"""))
        .containsExactlyInAnyOrder(
            "/States/A/Retry/0/BackoffRate: must be between 1.0 and 1.7976931348623157E308, was 0.5",
            "/States/A/Retry/0/MaxAttempts: must be between 0 and 99999999, was -1",
            "/States/A/Retry/0/JitterStrategy: must be \"FULL\" or \"NONE\", was \"SOME\"");
  }

  @Test
  void refusesJsonataThatDoesNotCompile() {
    assertThat(problems("""
        {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
          "A": {"Type": "Pass", "Output": {"x": "{% $states.input.( %}"}, "End": true}}}"""))
        .singleElement().asString().startsWith("/States/A/Output/x: invalid JSONata expression");
  }

  @Test
  void refusesAPathThatIsNotJsonPath() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "x.y", "ResultPath": "$.a[*]", "End": true}}}"""))
        .containsExactly(
            "/States/A/InputPath: 'x.y' is not a JSONPath (it must start with '$')",
            "/States/A/ResultPath: '$.a[*]' is not a reference path (only names and indices, no wildcards or filters)");
  }

  @Test
  void refusesAChoiceRuleWithAWrongOperandType() {
    assertThat(problems("""
        {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
          {"Variable": "$.n", "NumericEquals": "1", "Next": "D"}], "Default": "D"},
          "D": {"Type": "Succeed"}}}"""))
        .containsExactly("/States/C/Choices/0/NumericEquals: 'NumericEquals' needs a number");
  }

  @Test
  void refusesUnreachableStates() {
    assertThat(problems("""
        {"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}}}"""))
        .containsExactly("/States/Orphan: state 'Orphan' is not reachable from StartAt");
  }

  @Test
  void acceptsACycleWithoutExitAsAwsDoes() {
    Definition d = Definition.parse("""
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}""");
    assertThat(d.states()).containsOnlyKeys("A", "B");
  }

  @Test
  void refusesTextThatIsNotJson() {
    assertThatThrownBy(() -> Definition.parse("{\"StartAt\": "))
        .isInstanceOf(InvalidDefinition.class)
        .satisfies(e -> assertThat(((InvalidDefinition) e).problems())
            .extracting(Problem::code).containsExactly(Problem.INVALID_JSON_DESCRIPTION));
  }

  @Test
  void refusesTheDistributedMapByName() {
    assertThat(problemList("""
        {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ToleratedFailureCount": 1,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}}}"""))
        .extracting(Problem::code, Problem::location)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Problem.UNSUPPORTED_FEATURE, "/States/M/ToleratedFailureCount"),
            org.assertj.core.groups.Tuple.tuple(Problem.UNSUPPORTED_FEATURE, "/States/M/ItemProcessor/ProcessorConfig/Mode"));
  }
}
