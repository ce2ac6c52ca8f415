package videopipe.statemachines.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.Resource;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.TaskState;

/**
 * One call of a Task's Lambda resource with the history events AWS records for it: for
 * {@code arn:aws:states:::lambda:invoke}, TaskScheduled/Started/Succeeded|Failed|TimedOut with
 * {@code resourceType: lambda, resource: invoke} and the result wrapped as {@code {ExecutedVersion,
 * Payload, StatusCode}} (AWS adds SDK metadata we leave out); for a plain function ARN,
 * LambdaFunctionScheduled/Started/Succeeded|Failed|TimedOut and the function's own result.
 *
 * <p>TimeoutSeconds is measured in real time on the calling thread, not on the injected clock.
 */
final class LambdaCall {

  /** Either the task's result, or the error it failed with. */
  record Outcome(Object result, StatesError error) {}

  private LambdaCall() {}

  static Outcome call(TaskState task, Object arguments, TaskInvoker invoker, History history, String region) {
    Long timeout = task.timeoutSeconds() == TaskState.NO_TIMEOUT ? null : task.timeoutSeconds();
    if (task.resource() instanceof Resource.LambdaFunction f) {
      history.add("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails",
          concat(new Object[] {"resource", f.arn()}, History.payload("input", arguments), new Object[] {"timeoutInSeconds", timeout}));
      history.add("LambdaFunctionStarted", null);
      Invocation result = await(invoker, f.arn(), arguments, task.timeoutSeconds());
      if (result instanceof Invocation.Returned r) {
        history.add("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", History.payload("output", r.output()));
        return new Outcome(r.output(), null);
      }
      Invocation.Failed failed = (Invocation.Failed) result;
      if (StatesError.TIMEOUT.equals(failed.error())) {
        history.add("LambdaFunctionTimedOut", "lambdaFunctionTimedOutEventDetails", "error", failed.error(), "cause", failed.cause());
      } else {
        history.add("LambdaFunctionFailed", "lambdaFunctionFailedEventDetails", "error", failed.error(), "cause", failed.cause());
      }
      return new Outcome(null, new StatesError(failed.error(), failed.cause()));
    }
    if (!(arguments instanceof Map<?, ?> args) || !(args.get("FunctionName") instanceof String function)) {
      throw Failure.runtime("The arguments of lambda:invoke must be an object with a string FunctionName, were "
          + Json.write(arguments));
    }
    Object payload = args.containsKey("Payload") ? args.get("Payload") : Map.of();
    history.add("TaskScheduled", "taskScheduledEventDetails", "resourceType", "lambda", "resource", "invoke",
        "region", region, "parameters", Json.write(arguments), "timeoutInSeconds", timeout);
    history.add("TaskStarted", "taskStartedEventDetails", "resourceType", "lambda", "resource", "invoke");
    Invocation result = await(invoker, function, payload, task.timeoutSeconds());
    if (result instanceof Invocation.Returned r) {
      Map<String, Object> wrapped = new LinkedHashMap<>();
      wrapped.put("ExecutedVersion", "$LATEST");
      wrapped.put("Payload", r.output());
      wrapped.put("StatusCode", 200);
      history.add("TaskSucceeded", "taskSucceededEventDetails",
          concat(new Object[] {"resourceType", "lambda", "resource", "invoke"}, History.payload("output", wrapped)));
      return new Outcome(wrapped, null);
    }
    Invocation.Failed failed = (Invocation.Failed) result;
    String type = StatesError.TIMEOUT.equals(failed.error()) ? "TaskTimedOut" : "TaskFailed";
    history.add(type, StatesError.TIMEOUT.equals(failed.error()) ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
        "resourceType", "lambda", "resource", "invoke", "error", failed.error(), "cause", failed.cause());
    return new Outcome(null, new StatesError(failed.error(), failed.cause()));
  }

  private static Invocation await(TaskInvoker invoker, String function, Object payload, long timeoutSeconds) {
    CompletableFuture<Invocation> future;
    try {
      future = invoker.invoke(function, payload).toCompletableFuture();
    } catch (RuntimeException e) {
      return new Invocation.Failed("Lambda.ServiceException", e.toString());
    }
    try {
      return timeoutSeconds == TaskState.NO_TIMEOUT ? future.get() : future.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Invocation.Failed(StatesError.TIMEOUT, "Task timed out after " + timeoutSeconds + " seconds");
    } catch (ExecutionException e) {
      return new Invocation.Failed("Lambda.ServiceException", String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Invocation.Failed("Lambda.ServiceException", "interrupted");
    }
  }

  private static Object[] concat(Object[]... parts) {
    int n = 0;
    for (Object[] p : parts) {
      n += p.length;
    }
    Object[] out = new Object[n];
    int i = 0;
    for (Object[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }
}
