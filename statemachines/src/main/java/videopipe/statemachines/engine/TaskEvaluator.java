package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.TaskState;

/** Task: effective input → Lambda call → output, or the error handed to {@link Recovery}. */
final class TaskEvaluator {

  private final TaskInvoker invoker;
  private final Clock clock;
  private final RandomGenerator random;
  private final String region;

  TaskEvaluator(TaskInvoker invoker, Clock clock, RandomGenerator random, String region) {
    this.invoker = invoker;
    this.clock = clock;
    this.random = random;
    this.region = region;
  }

  Step evaluate(TaskState task, Cursor cursor, Scope scope, History history) {
    try {
      Object arguments = Shaping.effective(task.io(), scope);
      LambdaCall.Outcome outcome = LambdaCall.call(task, arguments, invoker, history, region);
      if (outcome.error() != null) {
        return Recovery.after(task, cursor, outcome.error(), scope, clock, random);
      }
      Scope done = scope.withResult(outcome.result());
      Shaping.Shaped shaped = Shaping.output(task.io(), done, outcome.result(), outcome.result());
      return Evaluator.then(task.then(), shaped);
    } catch (Failure f) {
      return Recovery.after(task, cursor, f.error, scope, clock, random);
    }
  }
}
