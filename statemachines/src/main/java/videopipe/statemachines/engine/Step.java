package videopipe.statemachines.engine;

import java.time.Instant;
import videopipe.statemachines.asl.StatesError;

/** What evaluating a state came to. */
public sealed interface Step {

  /** Go on with {@code cursor} (the next state, entered with the output as input). */
  record Next(Cursor cursor, Object output) implements Step {}

  /** The execution ends successfully with {@code output}. */
  record End(Object output) implements Step {}

  /** The state failed and nothing caught it: the execution fails here. */
  record Failed(StatesError error) implements Step {}

  /**
   * Work is in flight (a task's call, a Parallel state's branches): evaluate {@code cursor} now,
   * then the cursor {@code resume} completes with (carrying the outcome). Holds no thread meanwhile.
   */
  record Pending(java.util.concurrent.CompletableFuture<Cursor> resume, Cursor cursor) implements Step {}

  /** Resume {@code cursor} at {@code until}: a Wait state, or the back-off before a retry. */
  record Waiting(Instant until, Cursor cursor) implements Step {}
}
