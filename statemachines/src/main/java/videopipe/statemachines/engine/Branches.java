package videopipe.statemachines.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.asl.State;

/** Starts the strands of a Parallel state's branches, within the same execution. */
interface Branches {

  /** A running branch: how it ends, where it is now, and a way to stop it at its next step. */
  interface Running {
    CompletableFuture<Strand.Ending> end();

    Cursor position();

    void stop();
  }

  Running start(Map<String, State> states, Cursor from);
}
