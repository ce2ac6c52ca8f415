package videopipe.statemachines.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.Resource;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.TaskState;

/**
 * One call of a Task's Lambda resource, in two halves around the wait, with the history events
 * AWS records. {@code arn:aws:states:::lambda:invoke}: TaskScheduled, TaskStarted, then
 * TaskSucceeded|Failed|TimedOut with {@code resourceType: lambda, resource: invoke} and the result
 * wrapped as {@code {ExecutedVersion, Payload, StatusCode}} (AWS adds SDK metadata we leave out).
 * {@code .waitForTaskToken}: the function's return is recorded as TaskSubmitted and the task's
 * result is what SendTaskSuccess sends. A plain function ARN: LambdaFunctionScheduled, Started,
 * Succeeded|Failed|TimedOut and the function's own result.
 *
 * <p>TimeoutSeconds runs in real time ({@link CompletableFuture#completeOnTimeout}), not on the
 * injected clock.
 */
final class LambdaCall {

  /** Either the task's result, or the error it failed with. */
  record Outcome(Object result, StatesError error) {}

  private LambdaCall() {}

  /** Records the scheduling and starts the call; the future completes with its outcome, never exceptionally. */
  static CompletableFuture<Invocation> start(TaskState task, Object arguments, String token, TaskInvoker invoker,
                                             TaskTokens tokens, History history, String region) {
    Long timeout = task.timeoutSeconds() == TaskState.NO_TIMEOUT ? null : task.timeoutSeconds();
    CompletableFuture<Invocation> call;
    if (task.resource() instanceof Resource.LambdaFunction f) {
      history.add("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails",
          concat(new Object[] {"resource", f.arn()}, History.payload("input", arguments), new Object[] {"timeoutInSeconds", timeout}));
      history.add("LambdaFunctionStarted", null);
      call = invoke(invoker, f.arn(), arguments);
    } else {
      if (!(arguments instanceof Map<?, ?> args) || !(args.get("FunctionName") instanceof String function)) {
        throw Failure.runtime("The arguments of lambda:invoke must be an object with a string FunctionName, were "
            + Json.write(arguments));
      }
      Object payload = args.containsKey("Payload") ? args.get("Payload") : Map.of();
      String resource = resourceName(task);
      history.add("TaskScheduled", "taskScheduledEventDetails", "resourceType", "lambda", "resource", resource,
          "region", region, "parameters", Json.write(arguments), "timeoutInSeconds", timeout);
      history.add("TaskStarted", "taskStartedEventDetails", "resourceType", "lambda", "resource", resource);
      // Open the token before the function can hand it on: its answer may come back at once.
      CompletableFuture<Invocation> answer = token == null ? null : tokens.open(token);
      call = invoke(invoker, function, payload);
      if (token != null) {
        call = call.thenCompose(submitted -> {
          if (submitted instanceof Invocation.Failed) {
            return CompletableFuture.completedFuture(submitted);
          }
          history.add("TaskSubmitted", "taskSubmittedEventDetails", concat(
              new Object[] {"resourceType", "lambda", "resource", resource},
              History.payload("output", wrap(((Invocation.Returned) submitted).output()))));
          return answer;
        });
        call.whenComplete((done, e) -> tokens.close(token));
      }
    }
    if (timeout != null) {
      call = call.completeOnTimeout(
          new Invocation.Failed(StatesError.TIMEOUT, "Task timed out after " + timeout + " seconds"), timeout, TimeUnit.SECONDS);
    }
    return call;
  }

  /** Records how the call ended and gives the task's result or error. */
  static Outcome finish(TaskState task, Invocation outcome, History history) {
    boolean plain = task.resource() instanceof Resource.LambdaFunction;
    boolean timedOut = outcome instanceof Invocation.Failed f && StatesError.TIMEOUT.equals(f.error());
    if (outcome instanceof Invocation.Returned r) {
      if (plain) {
        history.add("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", History.payload("output", r.output()));
        return new Outcome(r.output(), null);
      }
      Object result = ((Resource.LambdaInvoke) task.resource()).waitForTaskToken() ? r.output() : wrap(r.output());
      history.add("TaskSucceeded", "taskSucceededEventDetails",
          concat(new Object[] {"resourceType", "lambda", "resource", resourceName(task)}, History.payload("output", result)));
      return new Outcome(result, null);
    }
    Invocation.Failed failed = (Invocation.Failed) outcome;
    if (plain) {
      history.add(timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
          timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails",
          "error", failed.error(), "cause", failed.cause());
    } else {
      history.add(timedOut ? "TaskTimedOut" : "TaskFailed", timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
          "resourceType", "lambda", "resource", resourceName(task), "error", failed.error(), "cause", failed.cause());
    }
    return new Outcome(null, new StatesError(failed.error(), failed.cause()));
  }

  private static String resourceName(TaskState task) {
    return ((Resource.LambdaInvoke) task.resource()).waitForTaskToken() ? "invoke.waitForTaskToken" : "invoke";
  }

  private static Map<String, Object> wrap(Object payload) {
    Map<String, Object> wrapped = new LinkedHashMap<>();
    wrapped.put("ExecutedVersion", "$LATEST");
    wrapped.put("Payload", payload);
    wrapped.put("StatusCode", 200);
    return wrapped;
  }

  /** The invoker's answer in a future of our own that never completes exceptionally. */
  private static CompletableFuture<Invocation> invoke(TaskInvoker invoker, String function, Object payload) {
    CompletableFuture<Invocation> out = new CompletableFuture<>();
    try {
      invoker.invoke(function, payload).whenComplete((v, e) -> out.complete(
          e == null ? v : new Invocation.Failed("Lambda.ServiceException", String.valueOf(e))));
    } catch (RuntimeException e) {
      out.complete(new Invocation.Failed("Lambda.ServiceException", e.toString()));
    }
    return out;
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
