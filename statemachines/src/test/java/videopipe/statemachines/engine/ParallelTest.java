package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import videopipe.statemachines.asl.InvalidDefinition;

/**
 * Parallel as video-ingest uses it (transcode beside captions): the result is the array of the
 * branches' outputs in branch order; a failing branch fails the state with its error, subject to
 * Retry and Catch; a redrive re-runs only the branch that failed. Output shapes follow the guide's
 * Parallel examples; event names (ParallelStateStarted/Succeeded/Failed) follow the API reference's
 * HistoryEventType; the details and ordering of branch events are ours.
 */
class ParallelTest {

  static final String TWO_BRANCHES = """
      {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, @EXTRA@
        "Branches": [
          {"StartAt": "Transcode", "States": {"Transcode": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "submitTranscode", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": true}}},
          {"StartAt": "Captions", "States": {"Captions": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "attachCaptions", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": true}}}]}}}""";

  static String parallel(String extra) {
    return TWO_BRANCHES.replace("@EXTRA@", extra);
  }

  /** submitTranscode and attachCaptions; attachCaptions fails until {@code fixed}. */
  static final class Functions {
    final AtomicBoolean fixed = new AtomicBoolean(true);
    final List<String> calls = new CopyOnWriteArrayList<>();

    TaskInvoker invoker() {
      return TaskInvoker.of(call -> {
        calls.add(call.function());
        if (call.function().equals("attachCaptions")) {
          if (!fixed.get()) {
            throw new TaskInvoker.TaskFailure("Captions.Malformed", "line 3");
          }
          return Map.of("captions", List.of("en"));
        }
        return Map.of("outputs", List.of("720p"));
      });
    }
  }

  @Test
  void outputsTheBranchesOutputsInBranchOrder() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution e = h.run(parallel(""), "{\"videoId\": \"v-1\"}");
      Harness.assertJson(e.output(), "[{\"outputs\": [\"720p\"]}, {\"captions\": [\"en\"]}]");
      assertThat(Harness.types(e)).startsWith("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted")
          .endsWith("ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded");
    }
  }

  @Test
  void shapesTheArrayWithResultSelectorAndResultPath() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution e = h.run(parallel("""
          "ResultSelector": {"outputs.$": "$[0].outputs", "captions.$": "$[1].captions"}, "ResultPath": "$.media","""),
          "{\"videoId\": \"v-1\"}");
      Harness.assertJson(e.output(), "{\"videoId\": \"v-1\", \"media\": {\"outputs\": [\"720p\"], \"captions\": [\"en\"]}}");
    }
  }

  @Test
  void runsJsonataBranchesAndOutput() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Output": {"sum": "{% $sum($states.result) %}"},
            "Branches": [
              {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.n + 1 %}", "End": true}}},
              {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $states.input.n * 10 %}", "End": true}}}]}}}""",
          "{\"n\": 2}");
      Harness.assertJson(e.output(), "{\"sum\": 23}");
    }
  }

  @Test
  void failsWithTheFailingBranchsError() {
    Functions f = new Functions();
    f.fixed.set(false);
    try (Harness h = new Harness(f.invoker())) {
      Execution e = h.run(parallel(""), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(e.error().get().error()).isEqualTo("Captions.Malformed");
      assertThat(e.failedAt().state()).isEqualTo("P");
      assertThat(Harness.types(e)).contains("ParallelStateFailed");
    }
  }

  @Test
  void catchesABranchFailureOnTheParallelState() {
    Functions f = new Functions();
    f.fixed.set(false);
    try (Harness h = new Harness(f.invoker())) {
      Execution e = h.run("""
          {"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "Ok", "Catch": [{"ErrorEquals": ["Captions.Malformed"], "ResultPath": "$.error", "Next": "NoCaptions"}],
              "Branches": [{"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "attachCaptions"}, "End": true}}}]},
            "Ok": {"Type": "Succeed"},
            "NoCaptions": {"Type": "Pass", "End": true}}}""", "{\"videoId\": \"v-1\"}");
      Harness.assertJson(e.output(), "{\"videoId\": \"v-1\", \"error\": {\"Error\": \"Captions.Malformed\", \"Cause\": \"line 3\"}}");
    }
  }

  @Test
  void retryRunsEveryBranchAgain() {
    Functions f = new Functions();
    f.fixed.set(false);
    TaskInvoker fixAfterFirstFailure = (function, payload) -> {
      var result = f.invoker().invoke(function, payload);
      if (function.equals("attachCaptions")) {
        f.fixed.set(true);
      }
      return result;
    };
    try (Harness h = new Harness(fixAfterFirstFailure)) {
      Execution e = h.run(parallel("\"Retry\": [{\"ErrorEquals\": [\"Captions.Malformed\"]}],"), "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(e.output(), "[{\"outputs\": [\"720p\"]}, {\"captions\": [\"en\"]}]");
      assertThat(f.calls).filteredOn("attachCaptions"::equals).hasSize(2);
      // The retry starts both branches again; whether Transcode had already been called before
      // Captions failed and stopped it depends on the threads, hence one call or two.
      assertThat(f.calls).filteredOn("submitTranscode"::equals).hasSizeBetween(1, 2);
      assertThat(e.history()).filteredOn(ev -> ev.type().equals("ParallelStateStarted")).hasSize(2);
    }
  }

  @Test
  void redriveRerunsOnlyTheBranchThatFailed() throws Exception {
    Functions f = new Functions();
    f.fixed.set(false);
    // Captions fails only once Transcode has finished, so that the failure stops no running branch.
    java.util.concurrent.CompletableFuture<Void> transcodeDone = new java.util.concurrent.CompletableFuture<>();
    TaskInvoker ordered = (function, payload) -> function.equals("attachCaptions")
        ? transcodeDone.thenCompose(x -> f.invoker().invoke(function, payload))
        : f.invoker().invoke(function, payload);
    try (Harness h = new Harness(ordered)) {
      Execution started = h.start(parallel(""), "{\"videoId\": \"v-1\"}");
      // Bounded, but generous: on a loaded 2-core machine the branch can take seconds to exit.
      for (int i = 0; i < 60_000 && RedriveTest.exited(h.engine.describe(started.arn()), "Transcode") == 0; i++) {
        Thread.sleep(1);
      }
      assertThat(RedriveTest.exited(h.engine.describe(started.arn()), "Transcode"))
          .as("Transcode had exited before Captions was let fail").isPositive();
      transcodeDone.complete(null);
      Execution failed = h.await(started.arn());
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      f.fixed.set(true);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(done.output(), "[{\"outputs\": [\"720p\"]}, {\"captions\": [\"en\"]}]");
      assertThat(f.calls).filteredOn("submitTranscode"::equals).hasSize(1);
      assertThat(f.calls).filteredOn("attachCaptions"::equals).hasSize(2);
      assertThat(RedriveTest.entered(done, "Transcode")).isEqualTo(1);
      assertThat(RedriveTest.entered(done, "Captions")).isEqualTo(2);
    }
  }

  @Test
  void redriveResumesABranchStoppedBySiblingFailure() {
    Functions f = new Functions();
    f.fixed.set(false);
    java.util.concurrent.CompletableFuture<Invocation> transcodeHangs = new java.util.concurrent.CompletableFuture<>();
    TaskInvoker hanging = (function, payload) -> function.equals("submitTranscode") && !f.fixed.get()
        ? transcodeHangs : f.invoker().invoke(function, payload);
    try (Harness h = new Harness(hanging)) {
      Execution failed = h.run(parallel(""), "{}");
      assertThat(failed.error().get().error()).isEqualTo("Captions.Malformed");
      f.fixed.set(true);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(RedriveTest.entered(done, "Transcode")).isEqualTo(2);
    }
  }

  @Test
  void branchesCannotGoToStatesOutsideThemselves() {
    assertThatThrownBy(() -> videopipe.statemachines.asl.Definition.parse("""
        {"StartAt": "P", "States": {
          "P": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "After"}}}]},
          "After": {"Type": "Succeed"}}}"""))
        .isInstanceOf(InvalidDefinition.class)
        .hasMessageContaining("/States/P/Branches/0/States/A/Next: state 'After' does not exist");
  }
}
