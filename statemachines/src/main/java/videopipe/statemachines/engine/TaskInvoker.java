package videopipe.statemachines.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs the Lambda function a Task names, with the payload the state computed. Two real
 * implementations: the local stack's Lambda runtime, and in-process functions in tests. The engine
 * does the Step Functions side (the {@code lambda:invoke} envelope, history, retries, timeouts).
 */
@FunctionalInterface
public interface TaskInvoker {

  /** {@code function} is the name or ARN as written in the definition; {@code payload} plain JSON values. */
  CompletionStage<Invocation> invoke(String function, Object payload);

  /** An invoker over a synchronous function; a {@link TaskFailure} it throws becomes a named error. */
  static TaskInvoker of(Function<Call, Object> body) {
    return (function, payload) -> {
      try {
        return CompletableFuture.completedFuture(new Invocation.Returned(body.apply(new Call(function, payload))));
      } catch (TaskFailure e) {
        return CompletableFuture.completedFuture(new Invocation.Failed(e.error(), e.cause()));
      }
    };
  }

  record Call(String function, Object payload) {}

  /** Thrown by a function given to {@link #of} to fail with a Step Functions error name. */
  final class TaskFailure extends RuntimeException {
    private final String error;
    private final String cause;

    public TaskFailure(String error, String cause) {
      super(error + ": " + cause, null, false, false);
      this.error = error;
      this.cause = cause;
    }

    public String error() {
      return error;
    }

    public String cause() {
      return cause;
    }
  }
}
