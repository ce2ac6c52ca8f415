package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Branch;
import videopipe.statemachines.asl.ParallelState;

/**
 * Parallel, in two evaluations like a Task: first the effective input and every branch started
 * ({@link Step.Pending}); then, once all branches succeeded or one failed, the array of outputs
 * shaped into the state's output, or the first branch error handed to {@link Recovery}. When a
 * branch fails the others are stopped at their next step. The cursor keeps each branch's
 * progress, so that a redrive re-runs only the branches that did not finish, from where they
 * stopped; a retry runs them all again.
 */
final class ParallelEvaluator {

  private final Clock clock;
  private final RandomGenerator random;

  ParallelEvaluator(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  Step evaluate(ParallelState parallel, Cursor cursor, Scope scope, History history, Branches branches) {
    try {
      if (cursor.outcome() != null) {
        return finish(parallel, cursor, scope, history);
      }
      Object input = Shaping.effective(parallel.io(), scope);
      history.add("ParallelStateStarted", null);
      return new Step.Pending(start(parallel, cursor, input, scope, branches), cursor);
    } catch (Failure f) {
      return Recovery.after(parallel, parallel.retry(), parallel.catchers(), cursor, f.error, scope, clock, random);
    }
  }

  private static CompletableFuture<Cursor> start(ParallelState parallel, Cursor cursor, Object input, Scope scope,
                                                 Branches branches) {
    List<Cursor> starts = new ArrayList<>();
    for (Branch b : parallel.branches()) {
      starts.add(Cursor.at(b.startAt(), input, scope.variables()));
    }
    return new FanOut(cursor, parallel.branches(), starts, 0, branches, FanOut.Listener.NONE).run();
  }

  private Step finish(ParallelState parallel, Cursor cursor, Scope scope, History history) {
    if (cursor.outcome() instanceof Invocation.Returned r) {
      history.add("ParallelStateSucceeded", null);
      Scope done = scope.withResult(r.output());
      return Evaluator.then(parallel.then(), Shaping.output(parallel.io(), done, r.output(), r.output()));
    }
    Invocation.Failed f = (Invocation.Failed) cursor.outcome();
    history.add("ParallelStateFailed", null);
    return Recovery.after(parallel, parallel.retry(), parallel.catchers(), cursor,
        new videopipe.statemachines.asl.StatesError(f.error(), f.cause()), scope, clock, random);
  }
}
