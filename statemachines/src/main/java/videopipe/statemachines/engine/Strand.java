package videopipe.statemachines.engine;

import java.util.Map;
import java.util.function.Consumer;
import videopipe.statemachines.asl.State;
import videopipe.statemachines.asl.StatesError;

/**
 * One line of evaluation inside an execution: the execution's own, or one branch of a Parallel
 * state. It moves its cursor through its states and reports how it ended.
 */
final class Strand {

  /** How a strand ended: with an output, or failed (or was stopped: no error) at a cursor. */
  sealed interface Ending {
    record Succeeded(Object output) implements Ending {}

    record Failed(StatesError error, Cursor at) implements Ending {}
  }

  final Map<String, State> states;
  final Run run;
  final Consumer<Ending> onEnd;
  volatile Cursor cursor;
  volatile boolean stopped;

  Strand(Map<String, State> states, Run run, Cursor start, Consumer<Ending> onEnd) {
    this.states = states;
    this.run = run;
    this.cursor = start;
    this.onEnd = onEnd;
  }
}
