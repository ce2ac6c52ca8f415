package videopipe.statemachines.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.asl.Branch;

/**
 * Runs a Parallel state's branches or a Map state's iterations as strands, at most
 * {@code maxConcurrency} at a time (0: no limit), and completes with the state's cursor carrying
 * every strand's progress and the outcome: the outputs in order, or the first failure, after
 * which running strands are stopped at their next step and waiting ones never start. Strands that
 * finished in an earlier run (a redrive) are not run again.
 */
final class FanOut {

  /** What happens to each strand, for history events (Map iterations have them). */
  interface Listener {
    Listener NONE = new Listener() {};

    default void started(int index) {}

    default void succeeded(int index) {}

    default void failed(int index) {}
  }

  private final Cursor cursor;
  private final List<Branch> machines;
  private final List<Cursor> starts;
  private final int maxConcurrency;
  private final Branches branches;
  private final Listener listener;

  private final Cursor.BranchProgress[] progress;
  private final Branches.Running[] running;
  private final Deque<Integer> waiting = new ArrayDeque<>();
  private final CompletableFuture<Cursor> resume = new CompletableFuture<>();
  private int left;

  /** {@code machines.get(i)} runs from {@code starts.get(i)} unless the cursor says it already finished. */
  FanOut(Cursor cursor, List<Branch> machines, List<Cursor> starts, int maxConcurrency, Branches branches, Listener listener) {
    this.cursor = cursor;
    this.machines = machines;
    this.starts = starts;
    this.maxConcurrency = maxConcurrency;
    this.branches = branches;
    this.listener = listener;
    this.progress = new Cursor.BranchProgress[machines.size()];
    this.running = new Branches.Running[machines.size()];
  }

  CompletableFuture<Cursor> run() {
    List<Cursor.BranchProgress> before = cursor.branches();
    boolean resumable = before != null && before.size() == machines.size();
    synchronized (this) {
      for (int i = 0; i < machines.size(); i++) {
        if (resumable && before.get(i).done()) {
          progress[i] = before.get(i);
        } else {
          waiting.add(i);
        }
      }
      left = waiting.size();
      if (left == 0) {
        complete();
        return resume;
      }
      int limit = maxConcurrency == 0 ? waiting.size() : Math.min(maxConcurrency, waiting.size());
      for (int k = 0; k < limit; k++) {
        startNext(resumable ? before : null);
      }
    }
    return resume;
  }

  private void startNext(List<Cursor.BranchProgress> before) {
    Integer i = waiting.poll();
    if (i == null) {
      return;
    }
    Cursor from = before != null ? before.get(i).resumeAt().restarted() : starts.get(i);
    listener.started(i);
    running[i] = branches.start(machines.get(i).states(), from);
    running[i].end().whenComplete((ending, bug) -> ended(i, ending, before));
  }

  private synchronized void ended(int i, Strand.Ending ending, List<Cursor.BranchProgress> before) {
    if (resume.isDone()) {
      return;
    }
    if (ending instanceof Strand.Ending.Succeeded s) {
      listener.succeeded(i);
      progress[i] = new Cursor.BranchProgress(s.output(), null);
      if (--left == 0) {
        complete();
      } else {
        startNext(before);
      }
      return;
    }
    Strand.Ending.Failed f = (Strand.Ending.Failed) ending;
    listener.failed(i);
    progress[i] = new Cursor.BranchProgress(null, f.at());
    for (int k = 0; k < progress.length; k++) {
      if (progress[k] == null && running[k] != null) {
        running[k].stop();
        progress[k] = new Cursor.BranchProgress(null, running[k].position());
      } else if (progress[k] == null) {
        progress[k] = new Cursor.BranchProgress(null, before != null ? before.get(k).resumeAt() : starts.get(k));
      }
    }
    resume.complete(cursor.withBranches(List.of(progress)).withOutcome(
        new Invocation.Failed(f.error().error(), f.error().cause())));
  }

  private void complete() {
    List<Object> outputs = new ArrayList<>(progress.length);
    for (Cursor.BranchProgress p : progress) {
      outputs.add(p.output());
    }
    resume.complete(cursor.withBranches(List.of(progress)).withOutcome(new Invocation.Returned(outputs)));
  }
}
