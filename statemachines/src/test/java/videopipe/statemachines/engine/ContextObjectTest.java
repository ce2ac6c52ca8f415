package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The parts of the context object that change while an execution runs: the state's RetryCount and
 * EnteredTime, and the execution's RedriveCount after a redrive.
 */
class ContextObjectTest {

  @Test
  void aRetriedStateSeesItsRetryCountAcrossRetriers() {
    AtomicInteger failures = new AtomicInteger(3);
    List<Object> payloads = new CopyOnWriteArrayList<>();
    try (Harness h = new Harness(TaskInvoker.of(call -> {
      payloads.add(call.payload());
      int left = failures.getAndDecrement();
      if (left > 0) {
        throw new TaskInvoker.TaskFailure(left == 3 ? "A" : "B", "try again");
      }
      return "ok";
    }))) {
      Execution e = h.run("""
          {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload": {"retry.$": "$$.State.RetryCount", "entered.$": "$$.State.EnteredTime"}},
            "Retry": [{"ErrorEquals": ["A"], "IntervalSeconds": 1}, {"ErrorEquals": ["B"], "IntervalSeconds": 1, "MaxAttempts": 5}],
            "End": true}}}""", "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(payloads).extracting(p -> (Object) ((Map<?, ?>) p).get("retry")).containsExactly(0, 1, 2, 3);
      assertThat(payloads).extracting(p -> (Object) ((Map<?, ?>) p).get("entered")).containsOnly(Harness.START.toString());
    }
  }

  @Test
  void aRedrivenExecutionSeesItsRedriveCount() {
    AtomicBoolean fixed = new AtomicBoolean();
    try (Harness h = new Harness(TaskInvoker.of(call -> {
      if (!fixed.get()) {
        throw new TaskInvoker.TaskFailure("Bug", "not yet");
      }
      return "ok";
    }))) {
      Execution failed = h.run("""
          {"StartAt": "Before", "States": {
            "Before": {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.RedriveCount"}, "ResultPath": "$.before", "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "ResultPath": null, "Next": "After"},
            "After": {"Type": "Pass", "Parameters": {"before.$": "$.before.n", "after.$": "$$.Execution.RedriveCount",
                      "machine.$": "$$.StateMachine.Name"}, "End": true}}}""", "{}");
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      fixed.set(true);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      Harness.assertJson(done.output(), "{\"before\": 0, \"after\": 1, \"machine\": \"test\"}");
    }
  }
}
