package videopipe.statemachines.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at an instant of the engine's clock: the end of a Wait, the end of a retry's
 * back-off. An execution that waits holds no thread. Tests use a timer that moves a fake clock
 * forward instead of sleeping.
 */
@FunctionalInterface
public interface Timer {

  void at(Instant when, Runnable task);

  /**
   * A deadline (an execution's TimeoutSeconds): like {@link #at}, but usually made moot by the
   * work finishing first, so a test's timer holds it until told to fire.
   */
  default void deadline(Instant when, Runnable task) {
    at(when, task);
  }

  /** A timer on a scheduler, measuring the delay with {@code clock}. */
  static Timer scheduled(ScheduledExecutorService scheduler, Clock clock) {
    return (when, task) -> {
      long nanos = Math.max(0, Duration.between(clock.instant(), when).toNanos());
      scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
    };
  }
}
