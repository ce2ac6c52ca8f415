package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Deadlines are cancelled when the work they guard ends, so that a finished task or execution is
 * not held by the timer until its deadline (up to a day) comes.
 */
class TimerTest {

  @Test
  void aScheduledDeadlineRunsOnceAtItsTime() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      Timer timer = Timer.scheduled(scheduler, Clock.systemUTC());
      CountDownLatch ran = new CountDownLatch(1);
      Timer.Deadline d = timer.deadline(Clock.systemUTC().instant().plusMillis(20), ran::countDown);
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(d.pending()).isFalse();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aCancelledScheduledDeadlineNeverRuns() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      Timer timer = Timer.scheduled(scheduler, Clock.systemUTC());
      AtomicInteger runs = new AtomicInteger();
      Timer.Deadline d = timer.deadline(Clock.systemUTC().instant().plusMillis(50), runs::incrementAndGet);
      d.cancel();
      assertThat(d.pending()).isFalse();
      CountDownLatch later = new CountDownLatch(1);
      timer.at(Clock.systemUTC().instant().plusMillis(150), later::countDown);
      assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(runs).hasValue(0);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aFinishedExecutionLeavesNoDeadlinePending() throws Exception {
    try (Harness h = new Harness(TaskInvoker.of(call -> "done"))) {
      Execution e = h.run("""
          {"TimeoutSeconds": 86400, "StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "TimeoutSeconds": 3600,
            "HeartbeatSeconds": 600, "End": true}}}""", "{}");
      assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(h.timer.deadlines).hasSize(3);
      // The cancellations run as the task's and the execution's futures complete: let them land.
      for (int i = 0; i < 5000 && h.timer.pendingDeadlines() > 0; i++) {
        Thread.sleep(1);
      }
      assertThat(h.timer.pendingDeadlines()).isZero();
      h.timer.fireDeadlines();
      assertThat(h.engine.describe(e.arn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(h.engine.describe(e.arn()).history()).hasSameSizeAs(e.history());
    }
  }
}
