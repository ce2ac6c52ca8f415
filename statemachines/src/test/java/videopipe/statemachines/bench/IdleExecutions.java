package videopipe.statemachines.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.engine.Engine;
import videopipe.statemachines.engine.Execution;
import videopipe.statemachines.engine.ExecutionStatus;
import videopipe.statemachines.engine.Invocation;
import videopipe.statemachines.engine.StateMachine;
import videopipe.statemachines.engine.TaskInvoker;
import videopipe.statemachines.engine.Timer;

/**
 * Many executions parked on {@code .waitForTaskToken} tasks at once: the heap they hold (used heap
 * after a full GC, before and after, divided by their number), the live threads while they wait
 * (a waiting execution must hold none), then SendTaskSuccess to every token and every execution
 * SUCCEEDED. Each idle execution keeps its history so far, and (video-ingest) its armed deadlines.
 */
final class IdleExecutions {

  record Result(String machine, int executions, long bytesPerExecution, long heapBeforeMiB, long heapIdleMiB,
                long heapMaxMiB, int threadsBefore, int threadsIdle, int peakThreads, int succeeded, long parkMillis,
                long answerMillis) {}

  private IdleExecutions() {}

  /**
   * Starts {@code n} executions of {@code definition}; its waitForTaskToken task's function
   * (named {@code …SubmitTranscode}) keeps the token, the other functions answer at once.
   */
  static Result measure(String label, String definitionJson, String input, int n, String tokenOutputJson)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Queue<String> tokens = new ConcurrentLinkedQueue<>();
    TaskInvoker invoker = (function, payload) -> {
      Map<?, ?> p = (Map<?, ?>) payload;
      Object token = p.get("taskToken");
      if (token != null) {
        tokens.add((String) token);
        return CompletableFuture.completedFuture(new Invocation.Returned(Map.of("jobId", "job-1")));
      }
      return CompletableFuture.completedFuture(new Invocation.Returned(InstantFunctions.answer(function, p)));
    };
    try {
      Engine engine = new Engine(invoker, Clock.systemUTC(), new SplittableRandom(7), pool,
          Timer.scheduled(scheduler, Clock.systemUTC()), "us-east-1", "123456789012");
      StateMachine machine = engine.register("idle", Definition.parse(definitionJson), "arn:aws:iam::123456789012:role/bench");
      // One execution first, so that the classes and the pool's threads are there before the baseline.
      warm(engine, machine, input, tokens, tokenOutputJson);

      long before = usedAfterGc();
      int threadsBefore = threads.getThreadCount();
      threads.resetPeakThreadCount();
      long t0 = System.nanoTime();
      List<String> arns = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        arns.add(engine.start(machine, "idle-" + i, input).arn());
      }
      awaitSize(tokens, n);
      long parkMillis = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(200); // let the last TaskSubmitted events land
      long idle = usedAfterGc();
      int threadsIdle = threads.getThreadCount();

      long t1 = System.nanoTime();
      List<CompletableFuture<Execution>> done = new ArrayList<>(n);
      for (String arn : arns) {
        done.add(engine.completion(arn));
      }
      for (String token; (token = tokens.poll()) != null; ) {
        engine.sendTaskSuccess(token, tokenOutputJson);
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      long answerMillis = (System.nanoTime() - t1) / 1_000_000;
      int succeeded = (int) done.stream().filter(f -> f.join().status() == ExecutionStatus.SUCCEEDED).count();
      long max = Runtime.getRuntime().maxMemory();
      return new Result(label, n, (idle - before) / n, before >> 20, idle >> 20, max >> 20, threadsBefore, threadsIdle,
          threads.getPeakThreadCount(), succeeded, parkMillis, answerMillis);
    } finally {
      pool.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  private static void warm(Engine engine, StateMachine machine, String input, Queue<String> tokens, String output)
      throws Exception {
    String arn = engine.start(machine, "warm", input).arn();
    awaitSize(tokens, 1);
    engine.sendTaskSuccess(tokens.poll(), output);
    engine.completion(arn).get(1, TimeUnit.MINUTES);
  }

  private static void awaitSize(Queue<String> tokens, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (tokens.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + tokens.size() + " of " + n + " executions reached their task token");
      }
      Thread.sleep(5);
    }
  }

  static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
