package videopipe.statemachines.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fires at once, moving the fake clock to the requested instant, and records how long each wait
 * was; or, when held, keeps the tasks so that a test can look at an execution that is waiting.
 */
final class FakeTimer implements Timer {

  private final FakeClock clock;
  private final boolean hold;
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final List<Runnable> held = new CopyOnWriteArrayList<>();

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
}
