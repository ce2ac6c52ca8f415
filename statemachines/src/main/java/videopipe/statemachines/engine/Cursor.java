package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where an execution is: the state, the input it was given, the variables in scope, and its
 * progress inside that state (entered yet, retries per Retrier, when a Wait ends, the task token
 * and outcome of a call). Immutable, so a
 * failed execution keeps the cursor of its failed state and redrive resumes from it.
 */
public record Cursor(String state, Object input, Map<String, Object> variables, boolean entered,
                     Instant enteredTime, List<Integer> retries, Instant wakeAt, String taskToken,
                     Invocation outcome) {

  static Cursor at(String state, Object input, Map<String, Object> variables) {
    return new Cursor(state, input, variables, false, null, List.of(), null, null, null);
  }

  Cursor enteredAt(Instant time) {
    return new Cursor(state, input, variables, true, time, retries, wakeAt, taskToken, outcome);
  }

  Cursor waking(Instant at) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, at, taskToken, outcome);
  }

  /** The task token of the call in flight ({@code .waitForTaskToken}). */
  Cursor withToken(String token) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, wakeAt, token, outcome);
  }

  /** The call in flight has come back: evaluating this cursor finishes the task. */
  Cursor withOutcome(Invocation o) {
    return new Cursor(state, input, variables, entered, enteredTime, retries, wakeAt, taskToken, o);
  }

  int retriesOf(int retrier) {
    return retrier < retries.size() ? retries.get(retrier) : 0;
  }

  int retryCount() {
    return retries.stream().mapToInt(Integer::intValue).sum();
  }

  Cursor retried(int retrier) {
    List<Integer> next = new ArrayList<>(retries);
    while (next.size() <= retrier) {
      next.add(0);
    }
    next.set(retrier, next.get(retrier) + 1);
    return new Cursor(state, input, variables, entered, enteredTime, List.copyOf(next), wakeAt, null, null);
  }

  /** The same state, as if never entered: what a redrive re-runs. */
  Cursor restarted() {
    return at(state, input, variables);
  }
}
