package videopipe.statemachines.bench;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.engine.Engine;
import videopipe.statemachines.engine.Execution;
import videopipe.statemachines.engine.ExecutionStatus;
import videopipe.statemachines.engine.HistoryEvent;
import videopipe.statemachines.engine.StateMachine;
import videopipe.statemachines.engine.TaskInvoker;
import videopipe.statemachines.engine.Timer;

/**
 * Our engine's side of one throughput row: rounds of {@code executions} started at once on a
 * fresh engine (its own pool of one thread per core, a real clock and timer), every execution's
 * full history kept, and transitions counted as the npm side counts them: the
 * {@code *StateEntered} events in the histories, over the round's wall time from the first start
 * to the last completion.
 */
final class Throughput {

  /** A measured row: the median round's rate, every round's, and one execution's output and transitions. */
  record Result(long transitionsPerSecond, long[] rounds, int transitionsPerExecution, Object output) {}

  private Throughput() {}

  static Result measure(String definitionJson, String input, int executions, int warmups, int rounds,
                        Function<EngineRef, TaskInvoker> invoker) {
    Definition definition = Definition.parse(definitionJson);
    for (int i = 0; i < warmups; i++) {
      round(definition, input, executions, invoker);
    }
    long[] rates = new long[rounds];
    Round last = null;
    for (int i = 0; i < rounds; i++) {
      last = round(definition, input, executions, invoker);
      rates[i] = last.rate();
    }
    long[] sorted = rates.clone();
    Arrays.sort(sorted);
    return new Result(sorted[rounds / 2], rates, last.perExecution(), last.output());
  }

  /** Lets an invoker answer task tokens on the engine that calls it. */
  static final class EngineRef {
    volatile Engine engine;
  }

  private record Round(long rate, int perExecution, Object output) {}

  private static Round round(Definition definition, String input, int executions, Function<EngineRef, TaskInvoker> invoker) {
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      EngineRef ref = new EngineRef();
      Engine engine = new Engine(invoker.apply(ref), Clock.systemUTC(), new SplittableRandom(7), pool,
          Timer.scheduled(scheduler, Clock.systemUTC()), "us-east-1", "123456789012");
      ref.engine = engine;
      StateMachine machine = engine.register("bench", definition, "arn:aws:iam::123456789012:role/bench");
      List<CompletableFuture<Execution>> done = new ArrayList<>(executions);
      long start = System.nanoTime();
      for (int i = 0; i < executions; i++) {
        done.add(engine.completion(engine.start(machine, "run-" + i, input).arn()));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      long nanos = System.nanoTime() - start;
      long transitions = 0;
      for (CompletableFuture<Execution> f : done) {
        Execution e = f.join();
        if (e.status() != ExecutionStatus.SUCCEEDED) {
          throw new IllegalStateException("a benchmark execution did not succeed: " + e.status() + " " + e.error());
        }
        transitions += entered(e);
      }
      Execution first = done.get(0).join();
      return new Round(Math.round(transitions / (nanos / 1e9)), (int) entered(first), first.output());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  static long entered(Execution e) {
    long n = 0;
    for (HistoryEvent event : e.history()) {
      if (event.type().endsWith("StateEntered")) {
        n++;
      }
    }
    return n;
  }
}
