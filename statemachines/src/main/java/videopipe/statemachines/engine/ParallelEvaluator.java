package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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

  private CompletableFuture<Cursor> start(ParallelState parallel, Cursor cursor, Object input, Scope scope,
                                          Branches branches) {
    int n = parallel.branches().size();
    List<Cursor.BranchProgress> before = cursor.branches();
    Cursor.BranchProgress[] progress = new Cursor.BranchProgress[n];
    Branches.Running[] running = new Branches.Running[n];
    CompletableFuture<Cursor> resume = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(n);
    for (int i = 0; i < n; i++) {
      if (before != null && before.get(i).done()) {
        progress[i] = before.get(i);
        left.decrementAndGet();
      }
    }
    if (left.get() == 0) {
      resume.complete(succeeded(cursor, progress));
      return resume;
    }
    for (int i = 0; i < n; i++) {
      if (progress[i] != null) {
        continue;
      }
      Branch branch = parallel.branches().get(i);
      Cursor from = before != null ? before.get(i).resumeAt().restarted()
          : Cursor.at(branch.startAt(), input, scope.variables());
      running[i] = branches.start(branch.states(), from);
    }
    for (int i = 0; i < n; i++) {
      if (running[i] == null) {
        continue;
      }
      int index = i;
      running[i].end().whenComplete((ending, bug) -> {
        synchronized (progress) {
          if (resume.isDone()) {
            return;
          }
          if (ending instanceof Strand.Ending.Succeeded s) {
            progress[index] = new Cursor.BranchProgress(s.output(), null);
            if (left.decrementAndGet() == 0) {
              resume.complete(succeeded(cursor, progress));
            }
            return;
          }
          Strand.Ending.Failed f = (Strand.Ending.Failed) ending;
          progress[index] = new Cursor.BranchProgress(null, f.at());
          for (int k = 0; k < n; k++) {
            if (progress[k] == null) {
              running[k].stop();
              progress[k] = new Cursor.BranchProgress(null, running[k].position());
            }
          }
          resume.complete(cursor.withBranches(List.of(progress)).withOutcome(
              new Invocation.Failed(f.error().error(), f.error().cause())));
        }
      });
    }
    return resume;
  }

  private static Cursor succeeded(Cursor cursor, Cursor.BranchProgress[] progress) {
    List<Object> outputs = new ArrayList<>(progress.length);
    Arrays.stream(progress).forEach(p -> outputs.add(p.output()));
    return cursor.withBranches(List.of(progress)).withOutcome(new Invocation.Returned(outputs));
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
