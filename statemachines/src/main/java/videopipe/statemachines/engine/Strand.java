package videopipe.statemachines.engine;

import java.time.Instant;
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

  /**
   * What a strand rests on between two steps, for the journal's checkpoints: a Wait or a retry's
   * back-off ({@code until}), a task's call (when it started, the last heartbeat, whether a
   * {@code .waitForTaskToken} call was submitted), or a Parallel or Map state's strands.
   */
  static final class Rest {
    enum Kind { WAITING, CALL, FAN_OUT }

    final Kind kind;
    final Instant until;
    final Instant callStart;
    volatile Instant lastBeat;
    volatile boolean submitted;

    Rest(Kind kind, Instant until, Instant callStart, Instant lastBeat, boolean submitted) {
      this.kind = kind;
      this.until = until;
      this.callStart = callStart;
      this.lastBeat = lastBeat;
      this.submitted = submitted;
    }
  }

  final Map<String, State> states;
  final Run run;
  final Consumer<Ending> onEnd;
  volatile Cursor cursor;
  volatile boolean stopped;
  /** Set while resting, under the execution's lock (journaled executions only). */
  Rest rest;
  /** The fan-out this strand waits on, while it rests on one. */
  FanOut fanOut;
  /** A Parallel branch (not a Map iteration): its end is worth a checkpoint. */
  boolean checkpointAtEnd;
  /** Starts this strand's Parallel branches and Map iterations; made on first use. */
  Branches branches;

  Strand(Map<String, State> states, Run run, Cursor start, Consumer<Ending> onEnd) {
    this.states = states;
    this.run = run;
    this.cursor = start;
    this.onEnd = onEnd;
  }
}
