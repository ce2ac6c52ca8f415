package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.asl.Json;

/** An engine on a fake clock, a fake timer and a fixed random draw, running definitions given as text. */
final class Harness implements AutoCloseable {

  static final Instant START = Instant.parse("2026-11-24T12:00:00Z");
  static final String ROLE = "arn:aws:iam::123456789012:role/video-ingest";

  final FakeClock clock = new FakeClock(START);
  final FakeTimer timer;
  final ExecutorService executor = Executors.newFixedThreadPool(4);
  final Engine engine;
  private int runs;

  Harness(TaskInvoker invoker) {
    this(invoker, 0.5, false);
  }

  Harness(TaskInvoker invoker, double randomDraw, boolean holdTimers) {
    timer = new FakeTimer(clock, holdTimers);
    RandomGenerator random = new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("the engine draws doubles only");
      }

      @Override
      public double nextDouble() {
        return randomDraw;
      }
    };
    engine = new Engine(invoker, clock, random, executor, timer, "us-east-1", "123456789012");
  }

  Execution start(String definition, String input) {
    return engine.start(machine(definition), "run-" + (++runs), input);
  }

  StateMachine machine(String definition) {
    return engine.register("test", Definition.parse(definition), ROLE);
  }

  Execution run(String definition, String input) {
    return await(start(definition, input).arn());
  }

  Execution await(String arn) {
    try {
      return engine.completion(arn).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("execution did not stop: " + engine.describe(arn), e);
    }
  }

  /** Waits (boundedly) until {@code n} deadlines are armed, then fires them. */
  void fireDeadlinesOnceArmed(int n) {
    for (int i = 0; i < 60_000 && timer.deadlines.size() < n; i++) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertThat(timer.deadlines).as("armed deadlines").hasSizeGreaterThanOrEqualTo(n);
    timer.fireDeadlines();
  }

  static List<String> types(Execution e) {
    return e.history().stream().map(HistoryEvent::type).toList();
  }

  /** Compares JSON by value (so 1 as Integer and 1 as Long are equal). */
  static void assertJson(Object actual, String expected) {
    assertThat(Json.tree(Json.write(actual))).isEqualTo(Json.tree(expected));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
