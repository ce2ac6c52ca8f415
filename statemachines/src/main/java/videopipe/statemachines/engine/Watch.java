package videopipe.statemachines.engine;

import java.time.Instant;

/** Told what happens to a task's call while it is in flight, for the journal's checkpoints. */
interface Watch {

  Watch NONE = new Watch() {};

  /** A {@code .waitForTaskToken} call's function returned: on recovery, wait for the token without calling again. */
  default void submitted() {}

  /** SendTaskHeartbeat at {@code at}: on recovery, HeartbeatSeconds counts from it. */
  default void beat(Instant at) {}
}
