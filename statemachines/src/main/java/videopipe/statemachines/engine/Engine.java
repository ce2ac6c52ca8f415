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
    this.evaluator = new Evaluator(invoker, tokens, clock, random, region, timer);
    this.clock = clock;
    this.executor = executor;
    this.timer = timer;
    this.region = region;
    this.account = account;
  }

  public StateMachine register(String name, Definition definition, String roleArn) {
    return new StateMachine(name, "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name, roleArn, definition);
  }

  /** AWS's rule for execution names: 1 to 80 characters, none of these, no whitespace or control characters. */
  private static final java.util.regex.Pattern BAD_NAME =
      java.util.regex.Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");

  /**
   * Starts an execution and returns at once, with the execution RUNNING. As on AWS for Standard
   * workflows, starting again with the name and input of a running execution returns that
   * execution; any other reuse of a name is ExecutionAlreadyExists.
   */
  public Execution start(StateMachine machine, String name, String inputJson) {
    if (name == null || name.isEmpty() || name.length() > 80 || BAD_NAME.matcher(name).find()) {
      throw new RequestRejected(RequestRejected.Code.InvalidName, "Invalid Name: '" + name + "'");
    }
    Object input;
    try {
      input = Json.parse(Objects.requireNonNullElse(inputJson, "{}"));
    } catch (RuntimeException e) {
      throw new RequestRejected(RequestRejected.Code.InvalidExecutionInput, "Invalid execution input: " + e.getMessage());
    }
    String arn = "arn:aws:states:" + region + ":" + account + ":execution:" + machine.name() + ":" + name;
    History history = new History(clock);
    Run run = new Run(machine, arn, name, input, clock.instant(), history);
    Run existing = runs.putIfAbsent(arn, run);
    if (existing != null) {
      if (existing.running() && Json.tree(Json.write(existing.input)).equals(Json.tree(Json.write(input)))) {
        return existing.snapshot();
      }
      throw new RequestRejected(RequestRejected.Code.ExecutionAlreadyExists, "Execution Already Exists: '" + arn + "'");
    }
    history.add("ExecutionStarted", "executionStartedEventDetails",
        concat(History.payload("input", input), new Object[] {"roleArn", machine.roleArn()}));
    Execution started = run.snapshot();
    launch(run, Cursor.at(machine.definition().startAt(), input, Map.of()));
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
    Cursor resume = run.redrive(clock.instant());
    run.history.add("ExecutionRedriven", "executionRedrivenEventDetails", "redriveCount", run.redriveCount());
    Execution redriven = run.snapshot();
    launch(run, resume);
    return redriven;
  }

  /**
   * StopExecution: a RUNNING execution becomes ABORTED at once, with ExecutionAborted in its
   * history; work in flight is dropped when it comes back. A redrive resumes it at the state it
   * was in. Stopping an execution that is no longer running changes nothing.
   */
  public Execution stop(String executionArn, String error, String cause) {
    Run run = run(executionArn);
    run.end(ExecutionStatus.ABORTED, null, new StatesError(error, cause), null, clock.instant(),
        () -> run.history.add("ExecutionAborted", "executionAbortedEventDetails", "error", error, "cause", cause));
    return run.snapshot();
  }

  private void launch(Run run, Cursor from) {
    Strand top = top(run, from);
    run.drivenBy(top);
    run.machine.definition().timeoutSeconds().ifPresent(seconds -> {
      int generation = run.redriveCount();
      CompletableFuture<Execution> stopped = run.done();
      // The timeout runs from the start, and again from each redrive (ours; not checked against AWS).
      Timer.Deadline deadline = timer.deadline(clock.instant().plusSeconds(seconds), () -> {
        if (run.redriveCount() == generation) {
          String cause = "The execution timed out after " + seconds + " seconds";
          run.end(ExecutionStatus.TIMED_OUT, null, new StatesError(StatesError.TIMEOUT, cause), null, clock.instant(),
              () -> run.history.add("ExecutionTimedOut", "executionTimedOutEventDetails", "error", StatesError.TIMEOUT,
                  "cause", cause));
        }
      });
      stopped.whenComplete((e, x) -> deadline.cancel()); // this run's stop makes it moot
    });
    executor.execute(() -> drive(top));
  }

  /** SendTaskSuccess: the waiting {@code .waitForTaskToken} task succeeds with {@code outputJson}. */
  public void sendTaskSuccess(String taskToken, String outputJson) {
    tokens.succeed(taskToken, outputJson);
  }

  /** SendTaskFailure: the waiting task fails with {@code error} and {@code cause}, subject to its Retry and Catch. */
  public void sendTaskFailure(String taskToken, String error, String cause) {
    tokens.fail(taskToken, error, cause);
  }

  /** SendTaskHeartbeat: the waiting task's HeartbeatSeconds starts again. */
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

  /** The execution's own strand: its end is the execution's. */
  private Strand top(Run run, Cursor start) {
    return new Strand(run.machine.definition().states(), run, start, ending -> {
      if (ending instanceof Strand.Ending.Succeeded s) {
        run.end(ExecutionStatus.SUCCEEDED, s.output(), null, null, clock.instant(),
            () -> run.history.add("ExecutionSucceeded", "executionSucceededEventDetails", History.payload("output", s.output())));
      } else {
        Strand.Ending.Failed f = (Strand.Ending.Failed) ending;
        run.end(ExecutionStatus.FAILED, null, f.error(), f.at(), clock.instant(), () -> run.history.add("ExecutionFailed",
            "executionFailedEventDetails", "error", f.error().error(), "cause", f.error().cause()));
      }
    });
  }

  /** Starts a Parallel branch as a strand of the same execution. */
  private Branches branchesOf(Run run) {
    return (states, from) -> {
      CompletableFuture<Strand.Ending> end = new CompletableFuture<>();
      Strand strand = new Strand(states, run, from, end::complete);
      executor.execute(() -> drive(strand));
      return new Branches.Running() {
        @Override
        public CompletableFuture<Strand.Ending> end() {
          return end;
        }

        @Override
        public Cursor position() {
          return strand.cursor;
        }

        @Override
        public void stop() {
          strand.stopped = true;
        }
      };
    };
  }

  private void drive(Strand strand) {
    Run run = strand.run;
    Cursor cursor = strand.cursor;
    try {
      while (true) {
        if (!run.running()) {
          return; // aborted or timed out: the state it was in is where a redrive resumes
        }
        if (strand.stopped) {
          strand.onEnd.accept(new Strand.Ending.Failed(null, cursor));
          return;
        }
        Step step = evaluator.evaluate(strand.states, cursor, run.context(), run.history, branchesOf(run));
        if (step instanceof Step.Next n) {
          cursor = n.cursor();
          strand.cursor = cursor;
        } else if (step instanceof Step.End e) {
          strand.onEnd.accept(new Strand.Ending.Succeeded(e.output()));
          return;
        } else if (step instanceof Step.Failed f) {
          strand.onEnd.accept(new Strand.Ending.Failed(f.error(), cursor));
          return;
        } else if (step instanceof Step.Pending p) {
          strand.cursor = p.cursor();
          p.resume().whenComplete((next, e) -> executor.execute(() -> {
            strand.cursor = next != null ? next : strand.cursor.withOutcome(
                new Invocation.Failed(StatesError.RUNTIME, "Internal error in the engine: " + e));
            drive(strand);
          }));
          return;
        } else {
          Step.Waiting w = (Step.Waiting) step;
          strand.cursor = w.cursor();
          timer.at(w.until(), () -> executor.execute(() -> drive(strand)));
          return;
        }
      }
    } catch (RuntimeException bug) {
      // A defect in the engine must still end the strand, at the state it was in, redrivable.
      strand.onEnd.accept(new Strand.Ending.Failed(StatesError.runtime("Internal error in the engine: " + bug), cursor));
    }
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
