package videopipe.statemachines.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>TimeoutSeconds and HeartbeatSeconds are deadlines on the {@link Timer} and the injected clock;
 * a heartbeat (SendTaskHeartbeat) re-arms the latter. Either ends the task as TaskTimedOut.
 */
final class LambdaCall {

  /** Either the task's result, or the error it failed with. */
  record Outcome(Object result, StatesError error) {}

  private LambdaCall() {}

  /**
   * A call that was in flight when the engine stopped, as the journal's checkpoint saw it: when it
   * started, its last heartbeat, whether its {@code .waitForTaskToken} function had returned.
   */
  record Resumed(Instant callStart, Instant lastBeat, boolean submitted) {}

  /** The task's TimeoutSeconds and HeartbeatSeconds for this call: written, or read from the input by their paths. */
  record Limits(long timeoutSeconds, java.util.Optional<Long> heartbeatSeconds) {}

  /**
   * Records the scheduling and starts the call; the future completes with its outcome, never
   * exceptionally. {@code resumed}: the call goes on after a restart instead (no new scheduling
   * events; its deadlines count from its original start and last heartbeat; a submitted
   * {@code .waitForTaskToken} call waits for the same token, any other calls its function again).
   */
  static CompletableFuture<Invocation> start(TaskState task, Object arguments, String token, TaskInvoker invoker,
                                             TaskTokens tokens, History history, String region, Timer timer,
                                             Clock clock, Watch watch, Resumed resumed, Limits limits) {
    Long timeout = limits.timeoutSeconds() == TaskState.NO_TIMEOUT ? null : limits.timeoutSeconds();
    String function;
    Object payload;
    boolean skipCall = resumed != null && token != null && resumed.submitted();
    if (skipCall) {
      function = null;
      payload = null;
    } else if (task.resource() instanceof Resource.LambdaFunction f) {
      function = f.arn();
      payload = arguments;
    } else {
      if (!(arguments instanceof Map<?, ?> args) || !(args.get("FunctionName") instanceof String name)) {
        throw Failure.runtime("The arguments of lambda:invoke must be an object with a string FunctionName, were "
            + Json.write(arguments));
      }
      function = name;
      payload = args.containsKey("Payload") ? args.get("Payload") : Map.of();
    }
    // A resumed call's scheduling was recorded before the restart.
    if (resumed == null && task.resource() instanceof Resource.LambdaFunction f) {
      history.add("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails",
          concat(new Object[] {"resource", f.arn()}, History.payload("input", arguments), new Object[] {"timeoutInSeconds", timeout}));
      history.add("LambdaFunctionStarted", null);
    } else if (resumed == null) {
      history.add("TaskScheduled", "taskScheduledEventDetails", "resourceType", "lambda", "resource", resourceName(task),
          "region", region, "parameters", History.json(arguments), "timeoutInSeconds", timeout,
          "heartbeatInSeconds", limits.heartbeatSeconds().orElse(null));
      history.add("TaskStarted", "taskStartedEventDetails", "resourceType", "lambda", "resource", resourceName(task));
    }
    // Everything that can end the task is in place before the function runs: its answer, or a
    // heartbeat, may come back at once.
    CompletableFuture<Invocation> outcome = new CompletableFuture<>();
    Instant callStart = resumed != null ? resumed.callStart() : clock.instant();
    if (timeout != null) {
      Timer.Deadline deadline = timer.deadline(callStart.plusSeconds(timeout), () -> outcome.complete(
          new Invocation.Failed(StatesError.TIMEOUT, "Task timed out after " + timeout + " seconds")));
      outcome.whenComplete((done, e) -> deadline.cancel());
    }
    if (limits.heartbeatSeconds().isPresent()) {
      long every = limits.heartbeatSeconds().get();
      AtomicLong beats = new AtomicLong();
      // Only the latest heartbeat deadline counts; each new one cancels the one before, and the
      // task's end cancels the last.
      AtomicReference<Timer.Deadline> latest = new AtomicReference<>();
      java.util.function.Consumer<Instant> armFrom = from -> {
        long beat = beats.incrementAndGet();
        Timer.Deadline next = timer.deadline(from.plusSeconds(every), () -> {
          if (beats.get() == beat) {
            outcome.complete(new Invocation.Failed(StatesError.HEARTBEAT_TIMEOUT, "No heartbeat for " + every + " seconds"));
          }
        });
        Timer.Deadline before = latest.getAndSet(next);
        if (before != null) {
          before.cancel();
        }
        if (outcome.isDone()) {
          next.cancel();
        }
      };
      armFrom.accept(resumed != null && resumed.lastBeat() != null ? resumed.lastBeat() : callStart);
      outcome.whenComplete((done, e) -> latest.get().cancel());
      if (token != null) {
        tokens.onHeartbeat(token, () -> {
          Instant now = clock.instant();
          armFrom.accept(now);
          watch.beat(now);
        });
      }
    }
    CompletableFuture<Invocation> answer = token == null ? null : tokens.open(token);
    if (token != null) {
      outcome.whenComplete((done, e) -> tokens.close(token, done));
    }
    if (skipCall) {
      answer.whenComplete((v, e) -> outcome.complete(v));
      return outcome;
    }
    CompletableFuture<Invocation> call = invoke(invoker, function, payload);
    if (token != null) {
      String resource = resourceName(task);
      call = call.thenCompose(submitted -> {
        if (submitted instanceof Invocation.Failed) {
          return CompletableFuture.completedFuture(submitted);
        }
        history.add("TaskSubmitted", "taskSubmittedEventDetails", concat(
            new Object[] {"resourceType", "lambda", "resource", resource},
            History.payload("output", wrap(((Invocation.Returned) submitted).output()))));
        watch.submitted();
        return answer;
      });
    }
    call.whenComplete((v, e) -> outcome.complete(v));
    return outcome;
  }

  /** Records how the call ended and gives the task's result or error. */
  static Outcome finish(TaskState task, Invocation outcome, History history) {
    boolean plain = task.resource() instanceof Resource.LambdaFunction;
    boolean timedOut = outcome instanceof Invocation.Failed f
        && (StatesError.TIMEOUT.equals(f.error()) || StatesError.HEARTBEAT_TIMEOUT.equals(f.error()));
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
