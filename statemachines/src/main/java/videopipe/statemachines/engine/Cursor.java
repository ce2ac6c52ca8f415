package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where an execution (or a Parallel branch) is: the state, the input it was given, the variables
 * in scope, and its progress inside that state (entered yet, retries per Retrier, when a Wait
 * ends, the task token and outcome of a call, how far each Parallel branch got). Immutable, so a
 * failed execution keeps the cursor of its failed state and redrive resumes from it.
 */
public record Cursor(String state, Object input, Map<String, Object> variables, boolean entered,
                     Instant enteredTime, List<Integer> retries, Instant wakeAt, String taskToken,
                     Invocation outcome, List<BranchProgress> branches) {

  /** A Parallel branch's end: its output, or where to resume it ({@code resumeAt}) if it did not finish. */
  public record BranchProgress(Object output, Cursor resumeAt) {
    public boolean done() {
      return resumeAt == null;
    }
  }

  static Cursor at(String state, Object input, Map<String, Object> variables) {
    return new Cursor(state, input, variables, false, null, List.of(), null, null, null, null);
  }

  Cursor enteredAt(Instant time) {
    return new Cursor(state, input, variables, true, time, retries, wakeAt, taskToken, outcome, branches);
  }

  Cursor waking(Instant at) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, at, taskToken, outcome, branches);
  }

  /** The task token of the call in flight ({@code .waitForTaskToken}). */
  Cursor withToken(String token) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, wakeAt, token, outcome, branches);
  }

  /** The call in flight has come back: evaluating this cursor finishes the state. */
  Cursor withOutcome(Invocation o) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, wakeAt, taskToken, o, branches);
  }

  Cursor withBranches(List<BranchProgress> b) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, wakeAt, taskToken, outcome, b);
  }

  int retriesOf(int retrier) {
    return retrier < retries.size() ? retries.get(retrier) : 0;
  }

  int retryCount() {
    int sum = 0;
    for (int i = 0; i < retries.size(); i++) {
      sum += retries.get(i);
    }
    return sum;
  }

  /** Counts a retry; the retry starts the state's work afresh (a new call, every branch again). */
  Cursor retried(int retrier) {
    List<Integer> next = new ArrayList<>(retries);
    while (next.size() <= retrier) {
      next.add(0);
    }
    next.set(retrier, next.get(retrier) + 1);
    return new Cursor(state, input, variables, entered, enteredTime, List.copyOf(next), wakeAt, null, null, null);
  }

  /**
   * The same state, as if never entered: what a redrive re-runs. A Parallel state keeps its
   * branches' progress, so that only the branches that did not finish run again, each from where
   * it stopped.
   */
  Cursor restarted() {
    return at(state, input, variables).withBranches(branches);
  }
}
