package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.StatesError;

/**
 * Runs executions of state machines, concurrently, on a bounded executor: each execution is
 * driven one state at a time; a Wait or a retry back-off hands it to the {@link Timer}, and a
 * task's call (or its wait for a task token) to the call's future, freeing the thread. Executions are kept in memory with their history; a failed one can be redriven.
 *
 * <pre>{@code
 * Engine engine = new Engine(invoker, Clock.systemUTC(), new SplittableRandom(), executor, timer, "us-east-1", "123456789012");
 * StateMachine sm = engine.register("video-ingest", Definition.parse(json), roleArn);
 * Execution started = engine.start(sm, "run-1", "{\"key\": 1}");
 * Execution finished = engine.completion(started.arn()).join();
 * }</pre>
 */
public final class Engine {

  private final Evaluator evaluator;
  private final Clock clock;
  private final Executor executor;
  private final Timer timer;
  private final String region;
  private final String account;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final TaskTokens tokens = new TaskTokens();

  public Engine(TaskInvoker invoker, Clock clock, RandomGenerator random, Executor executor, Timer timer, String region,
                String account) {
    this.evaluator = new Evaluator(invoker, tokens, clock, random, region);
    this.clock = clock;
    this.executor = executor;
    this.timer = timer;
    this.region = region;
    this.account = account;
  }

  public StateMachine register(String name, Definition definition, String roleArn) {
    return new StateMachine(name, "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name, roleArn, definition);
  }

  /** Starts an execution and returns at once, with the execution RUNNING. */
  public Execution start(StateMachine machine, String name, String inputJson) {
    Object input;
    try {
      input = Json.parse(Objects.requireNonNullElse(inputJson, "{}"));
    } catch (RuntimeException e) {
      throw new RequestRejected(RequestRejected.Code.InvalidExecutionInput, "Invalid execution input: " + e.getMessage());
    }
    String arn = "arn:aws:states:" + region + ":" + account + ":execution:" + machine.name() + ":" + name;
    History history = new History(clock);
    Run run = new Run(machine, arn, name, input, clock.instant(), history);
    if (runs.putIfAbsent(arn, run) != null) {
      throw new RequestRejected(RequestRejected.Code.ExecutionAlreadyExists, "Execution Already Exists: '" + arn + "'");
    }
    history.add("ExecutionStarted", "executionStartedEventDetails",
        concat(History.payload("input", input), new Object[] {"roleArn", machine.roleArn()}));
    Execution started = run.snapshot();
    executor.execute(() -> drive(run));
    return started;
  }

  public Execution describe(String executionArn) {
    return run(executionArn).snapshot();
  }

  /** Completes when the execution next stops (SUCCEEDED or FAILED); a redrive starts a new wait. */
  public CompletableFuture<Execution> completion(String executionArn) {
    return run(executionArn).done();
  }

  /**
   * RedriveExecution: a FAILED execution resumes at the state that failed, with the input and
   * variables it had there; its history grows with ExecutionRedriven. Anything else is refused
   * with ExecutionNotRedrivable, as AWS does for SUCCEEDED and RUNNING executions.
   */
  public Execution redrive(String executionArn) {
    Run run = run(executionArn);
    int count = run.redrive(clock.instant());
    run.history.add("ExecutionRedriven", "executionRedrivenEventDetails", "redriveCount", count);
    Execution redriven = run.snapshot();
    executor.execute(() -> drive(run));
    return redriven;
  }

  /** SendTaskSuccess: the waiting {@code .waitForTaskToken} task succeeds with {@code outputJson}. */
  public void sendTaskSuccess(String taskToken, String outputJson) {
    tokens.succeed(taskToken, outputJson);
  }

  /** SendTaskFailure: the waiting task fails with {@code error} and {@code cause}, subject to its Retry and Catch. */
  public void sendTaskFailure(String taskToken, String error, String cause) {
    tokens.fail(taskToken, error, cause);
  }

  /** SendTaskHeartbeat: checks the token (HeartbeatSeconds itself is not supported yet). */
  public void sendTaskHeartbeat(String taskToken) {
    tokens.heartbeat(taskToken);
  }

  private Run run(String executionArn) {
    Run run = runs.get(executionArn);
    if (run == null) {
      throw new RequestRejected(RequestRejected.Code.ExecutionDoesNotExist, "Execution Does Not Exist: '" + executionArn + "'");
    }
    return run;
  }

  private void drive(Run run) {
    Cursor cursor = run.cursor();
    try {
      while (true) {
        Step step = evaluator.evaluate(run.machine.definition(), cursor, run.context(), run.history);
        if (step instanceof Step.Next n) {
          cursor = n.cursor();
          run.moveTo(cursor);
        } else if (step instanceof Step.End e) {
          run.history.add("ExecutionSucceeded", "executionSucceededEventDetails", History.payload("output", e.output()));
          run.succeed(e.output(), clock.instant());
          return;
        } else if (step instanceof Step.Failed f) {
          failed(run, f.error(), cursor);
          return;
        } else if (step instanceof Step.Pending p) {
          run.moveTo(p.cursor());
          p.outcome().whenComplete((outcome, e) -> executor.execute(() -> {
            run.moveTo(run.cursor().withOutcome(outcome != null ? outcome
                : new Invocation.Failed(StatesError.RUNTIME, "Internal error in the engine: " + e)));
            drive(run);
          }));
          return;
        } else {
          Step.Waiting w = (Step.Waiting) step;
          run.moveTo(w.cursor());
          timer.at(w.until(), () -> executor.execute(() -> drive(run)));
          return;
        }
      }
    } catch (RuntimeException bug) {
      // A defect in the engine must still end the execution, at the state it was in, redrivable.
      failed(run, StatesError.runtime("Internal error in the engine: " + bug), cursor);
    }
  }

  private void failed(Run run, StatesError error, Cursor at) {
    run.history.add("ExecutionFailed", "executionFailedEventDetails", "error", error.error(), "cause", error.cause());
    run.fail(error, at, clock.instant());
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
