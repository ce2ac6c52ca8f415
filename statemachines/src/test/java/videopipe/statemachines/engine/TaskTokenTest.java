package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The callback pattern submitTranscode uses: {@code lambda:invoke.waitForTaskToken} passes a token
 * to the function, then the task waits, holding no thread, until SendTaskSuccess or
 * SendTaskFailure names that token. Event names follow the Step Functions guide's callback
 * example (TaskSubmitted between TaskStarted and TaskSucceeded); their details are ours.
 */
class TaskTokenTest {

  static final String JSONATA = """
      {"QueryLanguage": "JSONata", "StartAt": "SubmitTranscode", "States": {
        "SubmitTranscode": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {"FunctionName": "submitTranscode",
                        "Payload": {"videoId": "{% $states.input.videoId %}", "taskToken": "{% $states.context.Task.Token %}"}},
          "Retry": [{"ErrorEquals": ["videopipe.functions.TransientFailure"], "MaxAttempts": 1}],
          "End": true}}}""";

  /** Records each token the function is given. */
  static final class Submit {
    final LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();

    TaskInvoker invoker() {
      return TaskInvoker.of(call -> {
        tokens.add((String) ((Map<?, ?>) call.payload()).get("taskToken"));
        return Map.of("jobId", "job-1");
      });
    }

    String next() throws InterruptedException {
      String token = tokens.poll(30, TimeUnit.SECONDS);
      assertThat(token).as("a task token reached the function").isNotNull();
      return token;
    }
  }

  @Test
  void waitsForSendTaskSuccessAndOutputsWhatItSends() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(JSONATA, "{\"videoId\": \"v-1\"}");
      String token = submit.next();
      assertThat(h.engine.describe(started.arn()).status()).isEqualTo(ExecutionStatus.RUNNING);

      h.engine.sendTaskSuccess(token, "{\"outputs\": [\"720p\"]}");
      Execution done = h.await(started.arn());

      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(done.output(), "{\"outputs\": [\"720p\"]}");
      assertThat(Harness.types(done)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
          "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
      assertThat(done.history().get(2).details()).containsEntry("resource", "invoke.waitForTaskToken");
    }
  }

  @Test
  void sendTaskFailureIsRetriedWithANewToken() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(JSONATA, "{\"videoId\": \"v-1\"}");
      String first = submit.next();
      h.engine.sendTaskFailure(first, "videopipe.functions.TransientFailure", "MediaConvert throttled");
      String second = submit.next();
      assertThat(second).isNotEqualTo(first);
      h.engine.sendTaskSuccess(second, "{}");
      assertThat(h.await(started.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void sendTaskFailureFailsTheExecutionAtTheTask() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(JSONATA, "{\"videoId\": \"v-1\"}");
      h.engine.sendTaskFailure(submit.next(), "MediaConvert.JobFailed", "bad input");
      Execution failed = h.await(started.arn());
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.error().get().error()).isEqualTo("MediaConvert.JobFailed");
      assertThat(failed.failedAt().state()).isEqualTo("SubmitTranscode");
    }
  }

  @Test
  void passesTheTokenToJsonPathThroughTheContextObject() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start("""
          {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "submitTranscode", "Payload": {"taskToken.$": "$$.Task.Token"}},
            "ResultPath": "$.transcode", "End": true}}}""", "{\"videoId\": \"v-1\"}");
      h.engine.sendTaskSuccess(submit.next(), "\"done\"");
      Harness.assertJson(h.await(started.arn()).output(), "{\"videoId\": \"v-1\", \"transcode\": \"done\"}");
    }
  }

  @Test
  void refusesATokenOnceItsTaskHasItsAnswer() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(JSONATA, "{\"videoId\": \"v-1\"}");
      String token = submit.next();
      h.engine.sendTaskSuccess(token, "{}");
      h.await(started.arn());
      assertThatThrownBy(() -> h.engine.sendTaskSuccess(token, "{}"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskDoesNotExist));
    }
  }

  @Test
  void refusesUnknownEmptyTokensAndOutputThatIsNotJson() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(JSONATA, "{\"videoId\": \"v-1\"}");
      String token = submit.next();
      assertThatThrownBy(() -> h.engine.sendTaskHeartbeat("nope"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskDoesNotExist));
      assertThatThrownBy(() -> h.engine.sendTaskSuccess("", "{}"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.InvalidToken));
      assertThatThrownBy(() -> h.engine.sendTaskSuccess(token, "{not json"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.InvalidOutput));
      h.engine.sendTaskHeartbeat(token);
      h.engine.sendTaskSuccess(token, "{}");
      assertThat(h.await(started.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  static final String WITH_HEARTBEAT = """
      {"QueryLanguage": "JSONata", "StartAt": "SubmitTranscode", "States": {
        "SubmitTranscode": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {"FunctionName": "submitTranscode", "Payload": {"taskToken": "{% $states.context.Task.Token %}"}},
          "HeartbeatSeconds": 60, "End": true}}}""";

  @Test
  void failsWithHeartbeatTimeoutWhenNoHeartbeatComes() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(WITH_HEARTBEAT, "{}");
      submit.next();
      h.fireDeadlinesOnceArmed(1);
      Execution failed = h.await(started.arn());
      assertThat(failed.error().get().error()).isEqualTo("States.HeartbeatTimeout");
      assertThat(Harness.types(failed)).contains("TaskTimedOut");
    }
  }

  @Test
  void aLateAnswerToATimedOutTaskHearsTaskTimedOut() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(WITH_HEARTBEAT, "{}");
      String token = submit.next();
      h.fireDeadlinesOnceArmed(1);
      h.await(started.arn());
      assertThatThrownBy(() -> h.engine.sendTaskSuccess(token, "{}"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskTimedOut));
      assertThatThrownBy(() -> h.engine.sendTaskHeartbeat(token))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskTimedOut));
    }
  }

  @Test
  void theTokenOfAStoppedExecutionsTaskHearsTaskTimedOut() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(WITH_HEARTBEAT, "{}");
      String token = submit.next();
      h.engine.stop(started.arn(), "Operator", "stopped by hand");
      assertThatThrownBy(() -> h.engine.sendTaskHeartbeat(token))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskTimedOut));
      assertThatThrownBy(() -> h.engine.sendTaskSuccess(token, "{}"))
          .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo(RequestRejected.Code.TaskTimedOut));
    }
  }

  @Test
  void aHeartbeatStartsTheHeartbeatTimeAgain() throws Exception {
    Submit submit = new Submit();
    try (Harness h = new Harness(submit.invoker())) {
      Execution started = h.start(WITH_HEARTBEAT, "{}");
      String token = submit.next();
      h.engine.sendTaskHeartbeat(token);
      assertThat(h.timer.deadlines).hasSize(2);
      h.timer.deadlines.get(0).getValue().run();
      assertThat(h.engine.describe(started.arn()).status()).isEqualTo(ExecutionStatus.RUNNING);
      h.engine.sendTaskSuccess(token, "{}");
      assertThat(h.await(started.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }
}
