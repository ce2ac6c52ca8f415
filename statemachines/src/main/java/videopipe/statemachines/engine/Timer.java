package videopipe.statemachines.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
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
   * A deadline (an execution's TimeoutSeconds, a task's TimeoutSeconds or HeartbeatSeconds): like
   * {@link #at}, but usually made moot by the work finishing first, so a test's timer holds it
   * until told to fire. The engine cancels it when the work it guards ends; the timer then no
   * longer holds the task (nor the execution it reaches), though it may keep an empty shell until
   * the instant comes.
   */
  default Deadline deadline(Instant when, Runnable task) {
    Deadline d = new Deadline(task);
    at(when, d);
    return d;
  }

  /** A timer on a scheduler, measuring the delay with {@code clock}. */
  static Timer scheduled(ScheduledExecutorService scheduler, Clock clock) {
    return new Timer() {
      @Override
      public void at(Instant when, Runnable task) {
        schedule(when, task);
      }

      @Override
      public Deadline deadline(Instant when, Runnable task) {
        Deadline d = new Deadline(task);
        d.onCancel(schedule(when, d));
        return d;
      }

      private Future<?> schedule(Instant when, Runnable task) {
        long nanos = Math.max(0, Duration.between(clock.instant(), when).toNanos());
        return scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** An armed deadline: runs its task once, at its time, unless cancelled before. */
  final class Deadline implements Runnable {

    private Runnable task;
    private Future<?> scheduled;

    Deadline(Runnable task) {
      this.task = task;
    }

    /** Whether it has neither run nor been cancelled. */
    synchronized boolean pending() {
      return task != null;
    }

    synchronized void onCancel(Future<?> future) {
      if (task == null) {
        future.cancel(false);
      } else {
        scheduled = future;
      }
    }

    /** Lets go of the task: it will not run. Cancelling twice, or after it ran, does nothing. */
    public void cancel() {
      Future<?> f;
      synchronized (this) {
        task = null;
        f = scheduled;
        scheduled = null;
      }
      if (f != null) {
        f.cancel(false);
      }
    }

    @Override
    public void run() {
      Runnable t;
      synchronized (this) {
        t = task;
        task = null;
        scheduled = null;
      }
      if (t != null) {
        t.run();
      }
    }
  }
}
