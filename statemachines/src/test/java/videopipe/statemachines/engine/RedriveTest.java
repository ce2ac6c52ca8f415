package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * RedriveExecution, which operators rely on: a FAILED execution resumes at the state that failed,
 * with that state's input and variables, re-runs only that state onwards, and its history shows
 * ExecutionRedriven and exactly one re-run. SUCCEEDED and RUNNING executions are refused with
 * ExecutionNotRedrivable, as AWS does. That retries start afresh on redrive is ours (not checked
 * against AWS).
 */
class RedriveTest {

  /** video-ingest's shape in miniature, with the functions' real contracts. */
  static final String INGEST = """
      {"QueryLanguage": "JSONata", "StartAt": "Validate", "States": {
        "Validate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "validateUpload",
                        "Payload": {"event": "{% $states.input %}", "executionArn": "{% $states.context.Execution.Id %}"}},
          "Output": "{% $states.result.Payload %}",
          "Assign": {"videoId": "{% $states.result.Payload.videoId %}"},
          "Next": "Accepted?"},
        "Accepted?": {"Type": "Choice", "Choices": [
          {"Condition": "{% $states.input.outcome = 'ACCEPTED' %}", "Next": "ExtractMetadata"}], "Default": "Done"},
        "ExtractMetadata": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "extractMetadata", "Payload": "{% $merge([$states.input, {'executionArn': $states.context.Execution.Id}]) %}"},
          "Output": "{% $states.result.Payload %}",
          "Retry": [{"ErrorEquals": ["videopipe.functions.TransientFailure"], "MaxAttempts": 1}],
          "Next": "Publish"},
        "Publish": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "publishVideo",
                        "Payload": {"videoId": "{% $videoId %}", "executionArn": "{% $states.context.Execution.Id %}",
                                    "outputs": [], "captions": []}},
          "Output": "{% $states.result.Payload %}", "End": true},
        "Done": {"Type": "Succeed"}}}""";

  /** The pipeline's functions, with extractMetadata broken until {@code fixed} is set. */
  static final class Functions {
    final AtomicBoolean fixed = new AtomicBoolean();
    final AtomicInteger transientLeft = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();

    TaskInvoker invoker() {
      return TaskInvoker.of(call -> {
        calls.add(call.function());
        Map<?, ?> p = (Map<?, ?>) call.payload();
        switch (call.function()) {
          case "validateUpload":
            return Map.of("outcome", "ACCEPTED", "videoId", "v-42", "container", "MP4");
          case "extractMetadata":
            if (transientLeft.getAndDecrement() > 0) {
              throw new TaskInvoker.TaskFailure("videopipe.functions.TransientFailure", "{\"errorMessage\":\"throttled\"}");
            }
            if (!fixed.get()) {
              throw new TaskInvoker.TaskFailure("java.lang.IllegalStateException", "{\"errorMessage\":\"bug\"}");
            }
            return Map.of("outcome", "EXTRACTED", "videoId", p.get("videoId"), "durationSeconds", 1);
          default:
            return Map.of("status", "READY", "videoId", p.get("videoId"));
        }
      });
    }
  }

  static long exited(Execution e, String state) {
    return e.history().stream()
        .filter(h -> h.type().endsWith("StateExited") && state.equals(h.details().get("name")))
        .count();
  }

  static long entered(Execution e, String state) {
    return e.history().stream()
        .filter(h -> h.type().endsWith("StateEntered") && state.equals(h.details().get("name")))
        .count();
  }

  @Test
  void resumesAtTheFailedStateAndRunsItExactlyOnceMore() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution failed = h.run(INGEST, "{\"detail\": {\"object\": {\"key\": \"uploads/o/v-42/source\"}}}");
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.failedAt().state()).isEqualTo("ExtractMetadata");
      assertThat(failed.redrivable()).isTrue();

      f.fixed.set(true);
      Execution redriven = h.engine.redrive(failed.arn());
      assertThat(redriven.status()).isEqualTo(ExecutionStatus.RUNNING);
      Execution done = h.await(failed.arn());

      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(done.output(), "{\"status\": \"READY\", \"videoId\": \"v-42\"}");
      assertThat(done.redriveCount()).isEqualTo(1);
      assertThat(entered(done, "Validate")).isEqualTo(1);
      assertThat(entered(done, "ExtractMetadata")).isEqualTo(2);
      assertThat(entered(done, "Publish")).isEqualTo(1);
      assertThat(f.calls).containsExactly("validateUpload", "extractMetadata", "extractMetadata", "publishVideo");
    }
  }

  @Test
  void keepsTheHistoryAndAddsExecutionRedriven() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution failed = h.run(INGEST, "{}");
      f.fixed.set(true);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      List<String> types = Harness.types(done);
      assertThat(types.subList(0, failed.history().size())).isEqualTo(Harness.types(failed));
      assertThat(types.get(failed.history().size())).isEqualTo("ExecutionRedriven");
      assertThat(done.history().get(failed.history().size()).details()).isEqualTo(Map.of("redriveCount", 1));
      assertThat(types.get(failed.history().size() + 1)).isEqualTo("TaskStateEntered");
      assertThat(types).filteredOn("ExecutionFailed"::equals).hasSize(1);
      assertThat(types.get(types.size() - 1)).isEqualTo("ExecutionSucceeded");
    }
  }

  @Test
  void resumesWithTheVariablesAssignedBeforeTheFailure() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution failed = h.run(INGEST, "{}");
      assertThat(failed.failedAt().variables()).containsEntry("videoId", "v-42");
      f.fixed.set(true);
      h.engine.redrive(failed.arn());
      assertThat(h.await(failed.arn()).output()).isEqualTo(Map.of("status", "READY", "videoId", "v-42"));
    }
  }

  @Test
  void startsRetriesAfreshOnRedrive() {
    Functions f = new Functions();
    f.transientLeft.set(2);
    try (Harness h = new Harness(f.invoker())) {
      Execution failed = h.run(INGEST, "{}");
      assertThat(failed.error().get().error()).isEqualTo("videopipe.functions.TransientFailure");
      f.transientLeft.set(1);
      f.fixed.set(true);
      h.engine.redrive(failed.arn());
      assertThat(h.await(failed.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void countsEachRedrive() {
    Functions f = new Functions();
    try (Harness h = new Harness(f.invoker())) {
      Execution failed = h.run(INGEST, "{}");
      h.engine.redrive(failed.arn());
      Execution again = h.await(failed.arn());
      assertThat(again.status()).isEqualTo(ExecutionStatus.FAILED);
      f.fixed.set(true);
      assertThat(h.engine.redrive(failed.arn()).redriveCount()).isEqualTo(2);
      assertThat(h.await(failed.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void refusesToRedriveASucceededExecution() {
    Functions f = new Functions();
    f.fixed.set(true);
    try (Harness h = new Harness(f.invoker())) {
      Execution done = h.run(INGEST, "{}");
      assertThat(done.redrivable()).isFalse();
      assertThatThrownBy(() -> h.engine.redrive(done.arn()))
          .isInstanceOfSatisfying(RequestRejected.class,
              e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.ExecutionNotRedrivable));
    }
  }

  @Test
  void refusesToRedriveARunningExecution() {
    CompletableFuture<Invocation> never = new CompletableFuture<>();
    try (Harness h = new Harness((function, payload) -> never)) {
      Execution running = h.start(INGEST, "{}");
      assertThatThrownBy(() -> h.engine.redrive(running.arn()))
          .isInstanceOfSatisfying(RequestRejected.class,
              e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.ExecutionNotRedrivable));
      never.complete(new Invocation.Failed("Stop", "test over"));
    }
  }

  @Test
  void refusesToRedriveAnUnknownExecution() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      assertThatThrownBy(() -> h.engine.redrive("arn:aws:states:us-east-1:123456789012:execution:test:nope"))
          .isInstanceOfSatisfying(RequestRejected.class,
              e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.ExecutionDoesNotExist));
    }
  }
}
