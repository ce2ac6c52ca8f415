package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Resource;
import videopipe.statemachines.asl.TaskState;

/**
 * Task, in two evaluations around the call: first the effective input and the call's start
 * ({@link Step.Pending}); then, with the outcome on the cursor, the output or the error handed to
 * {@link Recovery}.
 */
final class TaskEvaluator {

  private final TaskInvoker invoker;
  private final TaskTokens tokens;
  private final Clock clock;
  private final RandomGenerator random;
  private final String region;
  private final Timer timer;

  TaskEvaluator(TaskInvoker invoker, TaskTokens tokens, Clock clock, RandomGenerator random, String region, Timer timer) {
    this.timer = timer;
    this.invoker = invoker;
    this.tokens = tokens;
    this.clock = clock;
    this.random = random;
    this.region = region;
  }

  Step evaluate(TaskState task, Cursor cursor, ExecutionContext execution, History history, Watch watch) {
    if (cursor.outcome() != null) {
      return finish(task, cursor, execution, history);
    }
    Cursor c = cursor;
    if (task.resource() instanceof Resource.LambdaInvoke li && li.waitForTaskToken()) {
      c = c.withToken(tokens.newToken());
    }
    Scope scope = scope(task, c, execution);
    try {
      Object arguments = Shaping.effective(task.io(), scope);
      tokens.ownedBy(c.taskToken(), execution.executionArn());
      CompletableFuture<Invocation> call = LambdaCall.start(task, arguments, c.taskToken(), invoker, tokens, history, region,
          timer, clock, watch, null, limits(task, scope));
      Cursor waiting = c;
      return new Step.Pending(call.thenApply(waiting::withOutcome), c);
    } catch (Failure f) {
      return Recovery.after(task, task.retry(), task.catchers(), c, f.error, scope, clock, random);
    }
  }

  /** Goes on with the call a checkpoint saw in flight (recovery after a restart). */
  Step resume(TaskState task, Cursor cursor, ExecutionContext execution, History history, Watch watch,
              LambdaCall.Resumed resumed) {
    Scope scope = scope(task, cursor, execution);
    try {
      Object arguments = resumed.submitted() && cursor.taskToken() != null ? null : Shaping.effective(task.io(), scope);
      tokens.ownedBy(cursor.taskToken(), execution.executionArn());
      CompletableFuture<Invocation> call = LambdaCall.start(task, arguments, cursor.taskToken(), invoker, tokens, history,
          region, timer, clock, watch, resumed, limits(task, scope));
      return new Step.Pending(call.thenApply(cursor::withOutcome), cursor);
    } catch (Failure f) {
      return Recovery.after(task, task.retry(), task.catchers(), cursor, f.error, scope, clock, random);
    }
  }

  private Step finish(TaskState task, Cursor cursor, ExecutionContext execution, History history) {
    Scope scope = scope(task, cursor, execution);
    try {
      LambdaCall.Outcome outcome = LambdaCall.finish(task, cursor.outcome(), history);
      if (outcome.error() != null) {
        return Recovery.after(task, task.retry(), task.catchers(), cursor, outcome.error(), scope, clock, random);
      }
      Scope done = scope.withResult(outcome.result());
      return Evaluator.then(task.then(), Shaping.output(task.io(), done, outcome.result(), outcome.result()));
    } catch (Failure f) {
      return Recovery.after(task, task.retry(), task.catchers(), cursor, f.error, scope, clock, random);
    }
  }

  /**
   * TimeoutSeconds and HeartbeatSeconds as written, or read from the state's input by
   * TimeoutSecondsPath and HeartbeatSecondsPath: a positive integer, else States.Runtime. A
   * heartbeat no shorter than the timeout is refused as it is in a definition (ours: not checked
   * against AWS).
   */
  static LambdaCall.Limits limits(TaskState task, Scope scope) {
    long timeout = task.timeoutSecondsPath().isPresent()
        ? seconds(task.timeoutSecondsPath().get(), scope) : task.timeoutSeconds();
    java.util.Optional<Long> heartbeat = task.heartbeatSecondsPath().isPresent()
        ? java.util.Optional.of(seconds(task.heartbeatSecondsPath().get(), scope)) : task.heartbeatSeconds();
    if (heartbeat.isPresent() && heartbeat.get() >= timeout) {
      throw Failure.runtime("The heartbeat of Task state '" + task.name() + "' (" + heartbeat.get()
          + " seconds) must be shorter than its timeout (" + timeout + " seconds)");
    }
    return new LambdaCall.Limits(timeout, heartbeat);
  }

  private static long seconds(videopipe.statemachines.asl.DataPath path, Scope scope) {
    Object v = Paths.read(path, scope.input(), scope.context());
    if (v instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() <= TaskState.NO_TIMEOUT
        && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw Failure.runtime("The value of " + path.text() + " must be a positive integer of seconds, was "
        + videopipe.statemachines.asl.Json.write(v));
  }

  private static Scope scope(TaskState task, Cursor c, ExecutionContext execution) {
    return Scope.of(c.input(), execution.object(task.name(), c), c.variables());
  }
}
