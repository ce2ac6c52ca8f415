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
  /** Recovery only: per strand, a done {@link Cursor.BranchProgress}, a captured running strand, or a start {@link Cursor}. */
  private final List<Object> resumes;

  private final Cursor.BranchProgress[] progress;
  private final Branches.Running[] running;
  private final Deque<Integer> waiting = new ArrayDeque<>();
  private final CompletableFuture<Cursor> resume = new CompletableFuture<>();
  private int left;

  /** {@code machines.get(i)} runs from {@code starts.get(i)} unless the cursor says it already finished. */
  FanOut(Cursor cursor, List<Branch> machines, List<Cursor> starts, int maxConcurrency, Branches branches, Listener listener) {
    this(cursor, machines, starts, maxConcurrency, branches, listener, null);
  }

  /**
   * A fan-out that goes on where a journal checkpoint captured it: {@code resumes.get(i)} is a
   * done strand's progress, a running strand as captured (resumed where it rested), or the start
   * cursor of one not started yet.
   */
  FanOut(Cursor cursor, List<Branch> machines, List<Cursor> starts, int maxConcurrency, Branches branches, Listener listener,
         List<Object> resumes) {
    this.resumes = resumes;
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
    branches.tracking(this);
    if (resumes != null) {
      return resume();
    }
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

  private synchronized CompletableFuture<Cursor> resume() {
    List<Integer> resumed = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      Object r = resumes.get(i);
      if (r instanceof Cursor.BranchProgress p) {
        progress[i] = p;
      } else if (r instanceof Cursor) {
        waiting.add(i);
      } else {
        resumed.add(i);
      }
    }
    left = waiting.size() + resumed.size();
    if (left == 0) {
      complete();
      return resume;
    }
    for (int i : resumed) {
      running[i] = branches.resume(i, machines.get(i).states(), resumes.get(i));
      running[i].end().whenComplete((ending, bug) -> ended(i, ending, null));
    }
    int free = maxConcurrency == 0 ? waiting.size() : Math.max(0, maxConcurrency - resumed.size());
    for (int k = 0; k < Math.min(free, waiting.size()) && !resume.isDone(); k++) {
      startNext(null);
    }
    return resume;
  }

  synchronized boolean done() {
    return resume.isDone();
  }

  /** The fan-out's cursor with its outcome, once {@link #done()}. */
  Cursor result() {
    return resume.getNow(null);
  }

  /**
   * Every strand as a checkpoint records it: {@code {"output": …}} when done, {@code {"strand": …}}
   * when running (its own capture), {@code {"start": cursor}} when not started yet.
   */
  synchronized List<Object> capture() {
    List<Object> out = new ArrayList<>(progress.length);
    List<Cursor.BranchProgress> before = resumes == null && cursor.branches() != null
        && cursor.branches().size() == machines.size() ? cursor.branches() : null;
    for (int i = 0; i < progress.length; i++) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      if (progress[i] != null && progress[i].done()) {
        m.put("output", progress[i].output());
      } else if (running[i] != null) {
        m.put("strand", running[i].capture());
      } else {
        Cursor from = before != null ? before.get(i).resumeAt().restarted() : starts.get(i);
        m.put("start", Snapshots.cursor(from));
      }
      out.add(m);
    }
    return out;
  }

  private void startNext(List<Cursor.BranchProgress> before) {
    Integer i = waiting.poll();
    if (i == null) {
      return;
    }
    Cursor from = before != null ? before.get(i).resumeAt().restarted() : starts.get(i);
    listener.started(i);
    running[i] = branches.start(i, machines.get(i).states(), from);
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
