package videopipe.statemachines.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fires at once, moving the fake clock to the requested instant, and records how long each wait
 * was; or, when held, keeps the tasks so that a test can look at an execution that is waiting.
 * Deadlines are always held until {@link #fireDeadlines()}.
 */
final class FakeTimer implements Timer {

  private final FakeClock clock;
  private final boolean hold;
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final List<Runnable> held = new CopyOnWriteArrayList<>();
  final List<Map.Entry<Instant, Runnable>> deadlines = new CopyOnWriteArrayList<>();
  private final List<Deadline> armed = new CopyOnWriteArrayList<>();

  FakeTimer(FakeClock clock, boolean hold) {
    this.clock = clock;
    this.hold = hold;
  }

  @Override
  public void at(Instant when, Runnable task) {
    waits.add(Duration.between(clock.instant(), when));
    if (hold) {
      held.add(task);
      return;
    }
    clock.advanceTo(when);
    task.run();
  }

  /** Deadlines wait until the test fires them; a cancelled one stays listed, and does nothing. */
  @Override
  public Deadline deadline(Instant when, Runnable task) {
    Deadline d = new Deadline(task);
    deadlines.add(Map.entry(when, d));
    armed.add(d);
    return d;
  }

  /** How many deadlines armed so far are still pending: neither run nor cancelled. */
  long pendingDeadlines() {
    return armed.stream().filter(Deadline::pending).count();
  }

  void fireDeadlines() {
    for (Map.Entry<Instant, Runnable> d : deadlines) {
      deadlines.remove(d);
      clock.advanceTo(d.getKey());
      d.getValue().run();
    }
  }
}
