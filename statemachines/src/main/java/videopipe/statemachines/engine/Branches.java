package videopipe.statemachines.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.asl.State;

/** Starts the strands of a Parallel state's branches (or a Map state's iterations), within the same execution. */
interface Branches {

  /** A running branch: how it ends, where it is now, and a way to stop it at its next step. */
  interface Running {
    CompletableFuture<Strand.Ending> end();

    Cursor position();

    void stop();

    /** Where it rests, as a journal checkpoint records it. */
    default Object capture() {
      throw new UnsupportedOperationException("not journaled");
    }
  }

  /** Starts branch {@code index} at {@code from}. */
  Running start(int index, Map<String, State> states, Cursor from);

  /** Resumes branch {@code index} as a checkpoint captured it (recovery after a restart). */
  default Running resume(int index, Map<String, State> states, Object captured) {
    throw new UnsupportedOperationException("not journaled");
  }

  /** Told of the fan-out that runs these branches, so that a checkpoint can capture it. */
  default void tracking(FanOut fanOut) {}
}
