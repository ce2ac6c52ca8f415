package videopipe.statemachines.asl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A valid definition becomes a model that keeps what was written and fills AWS's defaults. */
class DefinitionTest {

  @Test
  void fillsRetrierDefaultsAsAwsDocumentsThem() {
    TaskState t = (TaskState) Definition.parse("""
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}""").state("T");
    Retrier r = t.retry().get(0);
    assertThat(r.intervalSeconds()).isEqualTo(1);
    assertThat(r.maxAttempts()).isEqualTo(3);
    assertThat(r.backoffRate()).isEqualTo(2.0);
    assertThat(r.maxDelaySeconds()).isEmpty();
    assertThat(r.jitter()).isEqualTo(Retrier.Jitter.NONE);
    assertThat(t.timeoutSeconds()).isEqualTo(TaskState.NO_TIMEOUT);
  }

  @Test
  void inheritsTheQueryLanguageUnlessTheStateSetsIt() {
    Definition d = Definition.parse("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Next": "B"},
          "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": true}}}""");
    assertThat(d.state("A").queryLanguage()).isEqualTo(QueryLanguage.JSONPATH);
    assertThat(d.state("B").queryLanguage()).isEqualTo(QueryLanguage.JSONATA);
  }

  @Test
  void foldsTemplatesWithoutPathsIntoOneLiteral() {
    PassState p = (PassState) Definition.parse("""
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a": {"b": [1, 2]}}, "End": true}}}""").state("A");
    assertThat(((Io.Paths) p.io()).parameters()).get().isInstanceOf(Template.Literal.class);
  }

  @Test
  void readsAPlainLambdaArnAsAFunction() {
    TaskState t = (TaskState) Definition.parse("""
        {"StartAt": "T", "States": {"T": {"Type": "Task",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:validateUpload", "End": true}}}""").state("T");
    assertThat(t.resource()).isEqualTo(new Resource.LambdaFunction("arn:aws:lambda:us-east-1:123456789012:function:validateUpload"));
  }
}
