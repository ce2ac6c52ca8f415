package videopipe.statemachines.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.State;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.TaskState;

/**
 * Runs executions of state machines, concurrently, on a bounded executor: each execution is
 * driven one state at a time; a Wait or a retry back-off hands it to the {@link Timer}, and a
 * task's call (or its wait for a task token) to the call's future, freeing the thread. Executions are kept in memory with their history; a failed one can be redriven.
 *
 * <p>Given a journal directory, it also writes every execution to it as it runs (see
 * {@link Journal}), and {@link #recover()} reads them back after a restart: finished executions
 * as they were, running ones resumed where they rested (a task waiting for its token waits on
 * with the same token, a Wait for what is left, a call in flight is made again: at least once).
 *
 * <pre>{@code
 * Engine engine = new Engine(invoker, Clock.systemUTC(), new SplittableRandom(), executor, timer, "us-east-1", "123456789012");
 * StateMachine sm = engine.register("video-ingest", Definition.parse(json), roleArn);
 * Execution started = engine.start(sm, "run-1", "{\"key\": 1}");
 * Execution finished = engine.completion(started.arn()).join();
 * }</pre>
 */
public final class Engine {

  private static final System.Logger log = System.getLogger(Engine.class.getName());

  private final Evaluator evaluator;
  private final Clock clock;
  private final Executor executor;
  private final Timer timer;
  private final String region;
  private final String account;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final TaskTokens tokens = new TaskTokens();
  /** Where executions are journaled, or null: in memory only. */
  private final Path journalDir;
  private final AtomicLong sequence = new AtomicLong();
  private final List<Consumer<Execution>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public Engine(TaskInvoker invoker, Clock clock, RandomGenerator random, Executor executor, Timer timer, String region,
                String account) {
    this(invoker, clock, random, executor, timer, region, account, null);
  }

  /**
   * An engine that journals every execution under {@code journalDir} (created if missing; null:
   * in memory only). Call {@link #recover()} once, before starting executions, to read back what
   * an earlier engine left there. The caller makes sure no other engine uses the directory.
   */
  public Engine(TaskInvoker invoker, Clock clock, RandomGenerator random, Executor executor, Timer timer, String region,
                String account, Path journalDir) {
    this.evaluator = new Evaluator(invoker, tokens, clock, random, region, timer);
    this.clock = clock;
    this.executor = executor;
    this.timer = timer;
    this.region = region;
    this.account = account;
    this.journalDir = journalDir;
    if (journalDir != null) {
      try {
        Files.createDirectories(journalDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the journal directory " + journalDir, e);
      }
    }
  }

  public StateMachine register(String name, Definition definition, String roleArn) {
    return register(name, definition, roleArn, null);
  }

  /** A state machine with its definition's text, which a journaling engine needs to resume its executions. */
  public StateMachine register(String name, Definition definition, String roleArn, String source) {
    return new StateMachine(name, "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name, roleArn, definition,
        source);
  }

  /**
   * Calls {@code listener} with each status change of every execution, as it happens: RUNNING when
   * started or redriven, then SUCCEEDED, FAILED, TIMED_OUT or ABORTED. The execution is given
   * without its history. In order for any one execution; a listener's exception is logged and
   * ignored. Add listeners before {@link #recover()} to hear the resumed executions end.
   */
  public void onStatusChange(Consumer<Execution> listener) {
    listeners.add(listener);
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
    if (journalDir != null && machine.source() == null) {
      throw new IllegalArgumentException("a journaling engine needs the definition's text: register " + machine.name()
          + " with its source");
    }
    Object input;
    try {
      input = Json.parse(Objects.requireNonNullElse(inputJson, "{}"));
    } catch (RuntimeException e) {
      throw new RequestRejected(RequestRejected.Code.InvalidExecutionInput, "Invalid execution input: " + e.getMessage());
    }
    String arn = "arn:aws:states:" + region + ":" + account + ":execution:" + machine.name() + ":" + name;
    Journal journal = journalDir == null ? null : new Journal(Journal.fileOf(journalDir, arn));
    History history = new History(clock, List.of(), journal);
    Run run = new Run(machine, arn, name, input, clock.instant(), history, journal, sequence.getAndIncrement());
    Run existing = runs.putIfAbsent(arn, run);
    if (existing != null) {
      if (existing.running() && Json.tree(Json.write(existing.input)).equals(Json.tree(Json.write(input)))) {
        return existing.snapshot();
      }
      throw new RequestRejected(RequestRejected.Code.ExecutionAlreadyExists, "Execution Already Exists: '" + arn + "'");
    }
    Execution started;
    synchronized (run.lock()) {
      if (journal != null) {
        journal.append(startLine(run));
      }
      history.add("ExecutionStarted", "executionStartedEventDetails",
          concat(History.payload("input", input), new Object[] {"roleArn", machine.roleArn()}));
      started = run.snapshot();
    }
    announce(run.summary());
    launch(run, Cursor.at(machine.definition().startAt(), input, Map.of()));
    return started;
  }

  public Execution describe(String executionArn) {
    return run(executionArn).snapshot();
  }

  /**
   * The execution as {@link #describe} gives it, but without its history (an empty list): what
   * DescribeExecution and ListExecutions need, without copying a history that may be long.
   */
  public Execution summary(String executionArn) {
    return run(executionArn).summary();
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
    Cursor resume;
    Execution redriven;
    synchronized (run.lock()) {
      resume = run.redrive(clock.instant());
      run.history.add("ExecutionRedriven", "executionRedrivenEventDetails", "redriveCount", run.redriveCount());
      redriven = run.snapshot();
    }
    announce(run.summary());
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
    end(run, ExecutionStatus.ABORTED, null, new StatesError(error, cause), null,
        () -> run.history.add("ExecutionAborted", "executionAbortedEventDetails", "error", error, "cause", cause));
    return run.snapshot();
  }

  /** Ends {@code run} if it is still running, and tells the listeners. */
  private void end(Run run, ExecutionStatus to, Object out, StatesError e, Cursor at, Runnable event) {
    if (run.end(to, out, e, at, clock.instant(), event)) {
      tokens.closeAll(run.arn);
      announce(run.summary());
    }
  }

  private void announce(Execution summary) {
    for (Consumer<Execution> listener : listeners) {
      try {
        listener.accept(summary);
      } catch (RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "a status change listener failed on " + summary.arn(), e);
      }
    }
  }

  private void launch(Run run, Cursor from) {
    Strand top = top(run, from);
    run.drivenBy(top);
    armTimeout(run);
    if (run.journal != null) {
      synchronized (run.lock()) {
        checkpoint(run);
        run.journal.flush(true);
      }
    }
    executor.execute(() -> drive(top, null, null));
  }

  /** The execution's TimeoutSeconds, from the start of its current run (ours for redrives; not checked against AWS). */
  private void armTimeout(Run run) {
    run.machine.definition().timeoutSeconds().ifPresent(seconds -> {
      int generation = run.redriveCount();
      CompletableFuture<Execution> stopped = run.done();
      Timer.Deadline deadline = timer.deadline(run.runStart().plusSeconds(seconds), () -> {
        if (run.redriveCount() == generation) {
          String cause = "The execution timed out after " + seconds + " seconds";
          end(run, ExecutionStatus.TIMED_OUT, null, new StatesError(StatesError.TIMEOUT, cause), null,
              () -> run.history.add("ExecutionTimedOut", "executionTimedOutEventDetails", "error", StatesError.TIMEOUT,
                  "cause", cause));
        }
      });
      stopped.whenComplete((e, x) -> deadline.cancel()); // this run's stop makes it moot
    });
  }

  /**
   * Stops driving executions: steps not yet begun do nothing, and a step that fails because its
   * executor or timer was shut down meanwhile does not end its execution. Running executions stay
   * RUNNING, where their journal's last checkpoint left them, for the next engine to resume. Call
   * it before shutting down the executor and the timer.
   */
  public void close() {
    closed = true;
    // A last checkpoint of each running execution, once its step under way is done: after a clean
    // stop, the next engine resumes exactly where this one left off (after a crash, from the last
    // resting point before it).
    for (Run run : runs.values()) {
      if (run.journal != null) {
        synchronized (run.lock()) {
          if (run.running() && run.top() != null) {
            checkpoint(run);
          }
        }
      }
    }
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
        end(run, ExecutionStatus.SUCCEEDED, s.output(), null, null,
            () -> run.history.add("ExecutionSucceeded", "executionSucceededEventDetails", History.payload("output", s.output())));
      } else {
        Strand.Ending.Failed f = (Strand.Ending.Failed) ending;
        end(run, ExecutionStatus.FAILED, null, f.error(), f.at(), () -> run.history.add("ExecutionFailed",
            "executionFailedEventDetails", "error", f.error().error(), "cause", f.error().cause()));
      }
    });
  }

  /** The branches a strand's Parallel and Map states start: strands of the same execution. */
  private Branches branchesOf(Strand parent) {
    Branches b = parent.branches;
    if (b == null) {
      b = new Branches() {
        @Override
        public Running start(int index, Map<String, State> states, Cursor from) {
          return child(parent, states, from, null);
        }

        @Override
        public Running resume(int index, Map<String, State> states, Object captured) {
          return child(parent, states, Snapshots.cursor(((Map<?, ?>) captured).get("cursor")), captured);
        }

        @Override
        public void tracking(FanOut fanOut) {
          parent.fanOut = fanOut;
        }
      };
      parent.branches = b;
    }
    return b;
  }

  private Branches.Running child(Strand parent, Map<String, State> states, Cursor from, Object captured) {
    CompletableFuture<Strand.Ending> end = new CompletableFuture<>();
    Strand strand = new Strand(states, parent.run, from, end::complete);
    strand.checkpointAtEnd = parent.states.get(parent.cursor.state()) instanceof videopipe.statemachines.asl.ParallelState;
    executor.execute(() -> drive(strand, null, captured));
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

      @Override
      public Object capture() {
        return Engine.capture(strand);
      }
    };
  }

  /**
   * Drives a strand from {@code from} (or where it is) until it rests or ends; {@code captured}:
   * first goes on with what a checkpoint saw it resting on. A journaled execution's strands step
   * one at a time under its lock, so that a checkpoint sees every strand between two steps.
   */
  private void drive(Strand strand, Cursor from, Object captured) {
    if (strand.run.journal == null) {
      steps(strand, from, null);
      return;
    }
    synchronized (strand.run.lock()) {
      steps(strand, from, captured);
    }
  }

  /** A step to take first, and what the strand rests on meanwhile. */
  private record Resumption(Step step, Strand.Rest rest) {}

  private void steps(Strand strand, Cursor from, Object captured) {
    if (closed) {
      return;
    }
    Run run = strand.run;
    boolean journaled = run.journal != null;
    Cursor cursor = from != null ? from : strand.cursor;
    strand.cursor = cursor;
    strand.rest = null;
    strand.fanOut = null;
    try {
      Resumption first = captured == null ? null : resumption(strand, (Map<?, ?>) captured);
      while (true) {
        if (!run.running()) {
          return; // aborted or timed out: the state it was in is where a redrive resumes
        }
        if (strand.stopped) {
          strand.onEnd.accept(new Strand.Ending.Failed(null, cursor));
          return;
        }
        Step step;
        Strand.Rest rest = null;
        if (first != null) {
          step = first.step();
          rest = first.rest();
          first = null;
        } else {
          Watch watch = Watch.NONE;
          if (journaled) {
            Instant now = clock.instant();
            rest = new Strand.Rest(Strand.Rest.Kind.CALL, null, now, now, false);
            watch = watch(strand, rest);
          }
          step = evaluator.evaluate(strand.states, cursor, run.context(), run.history, branchesOf(strand), watch);
        }
        if (step instanceof Step.Next n) {
          cursor = n.cursor();
          strand.cursor = cursor;
        } else if (step instanceof Step.End e) {
          strand.onEnd.accept(new Strand.Ending.Succeeded(e.output()));
          ended(strand);
          return;
        } else if (step instanceof Step.Failed f) {
          strand.onEnd.accept(new Strand.Ending.Failed(f.error(), cursor));
          ended(strand);
          return;
        } else if (step instanceof Step.Pending p) {
          strand.cursor = p.cursor();
          if (journaled) {
            boolean call = strand.states.get(p.cursor().state()) instanceof TaskState && rest != null
                && rest.kind == Strand.Rest.Kind.CALL;
            strand.rest = call ? rest : new Strand.Rest(Strand.Rest.Kind.FAN_OUT, null, null, null, false);
            checkpoint(run);
          }
          p.resume().whenComplete((next, e) -> executor.execute(() -> drive(strand, next != null ? next
              : strand.cursor.withOutcome(new Invocation.Failed(StatesError.RUNTIME, "Internal error in the engine: " + e)),
              null)));
          return;
        } else {
          Step.Waiting w = (Step.Waiting) step;
          strand.cursor = w.cursor();
          if (journaled) {
            strand.rest = new Strand.Rest(Strand.Rest.Kind.WAITING, w.until(), null, null, false);
            checkpoint(run);
          }
          timer.at(w.until(), () -> executor.execute(() -> drive(strand, null, null)));
          return;
        }
      }
    } catch (RuntimeException bug) {
      if (closed) {
        return; // shut down under it: the next engine resumes it from its journal
      }
      // A defect in the engine must still end the strand, at the state it was in, redrivable.
      strand.onEnd.accept(new Strand.Ending.Failed(StatesError.runtime("Internal error in the engine: " + bug), cursor));
    }
  }

  /**
   * A Parallel branch's end changes its state's progress: a checkpoint keeps it (the execution's
   * own end has its status line). A Map iteration's end does not: a checkpoint records the whole
   * execution, and one per iteration would make a large Map's journal grow with the square of its
   * items; a crash re-runs the iterations that ended since the last resting point.
   */
  private static void ended(Strand strand) {
    if (strand.checkpointAtEnd && strand.run.journal != null && strand.run.running()) {
      checkpoint(strand.run);
    }
  }

  /** What a call's progress changes in the journal: a checkpoint, if the strand still rests on that call. */
  private Watch watch(Strand strand, Strand.Rest rest) {
    return new Watch() {
      @Override
      public void submitted() {
        synchronized (strand.run.lock()) {
          rest.submitted = true;
          if (strand.rest == rest) {
            checkpoint(strand.run);
          }
        }
      }

      @Override
      public void beat(Instant at) {
        synchronized (strand.run.lock()) {
          rest.lastBeat = at;
          if (strand.rest == rest) {
            checkpoint(strand.run);
          }
        }
      }
    };
  }

  // ---- the journal ----

  /** Records where every strand of {@code run} rests, and the history's length then (under its lock). */
  private static void checkpoint(Run run) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("k", "checkpoint");
    line.put("events", run.history.size());
    line.put("tree", capture(run.top()));
    run.journal.append(line);
    run.journal.flush(false);
  }

  /** A strand as a checkpoint records it: its cursor, what it rests on, and its fan-out's strands. */
  private static Map<String, Object> capture(Strand strand) {
    Map<String, Object> m = new LinkedHashMap<>();
    Strand.Rest rest = strand.rest;
    Cursor cursor = strand.cursor;
    if (rest != null && rest.kind == Strand.Rest.Kind.FAN_OUT && strand.fanOut != null && strand.fanOut.done()) {
      cursor = strand.fanOut.result(); // finished, not yet taken up: it goes on with the outcome
      rest = null;
    }
    m.put("cursor", Snapshots.cursor(cursor));
    if (rest != null) {
      m.put("rest", rest.kind.name());
      m.put("until", Snapshots.instant(rest.until));
      m.put("callStart", Snapshots.instant(rest.callStart));
      m.put("lastBeat", Snapshots.instant(rest.lastBeat));
      m.put("submitted", rest.submitted);
      if (rest.kind == Strand.Rest.Kind.FAN_OUT && strand.fanOut != null) {
        m.put("branches", strand.fanOut.capture());
      }
    }
    return m;
  }

  /** What to do first with a strand that a checkpoint saw resting; null: just evaluate its cursor. */
  private Resumption resumption(Strand strand, Map<?, ?> captured) {
    Object kind = captured.get("rest");
    if (kind == null) {
      return null;
    }
    Cursor cursor = strand.cursor;
    State state = strand.states.get(cursor.state());
    switch (Strand.Rest.Kind.valueOf((String) kind)) {
      case WAITING -> {
        Instant until = Snapshots.instant(captured.get("until"));
        return new Resumption(new Step.Waiting(until, cursor),
            new Strand.Rest(Strand.Rest.Kind.WAITING, until, null, null, false));
      }
      case CALL -> {
        Instant callStart = Snapshots.instant(captured.get("callStart"));
        Instant lastBeat = Snapshots.instant(captured.get("lastBeat"));
        boolean submitted = Boolean.TRUE.equals(captured.get("submitted"));
        Strand.Rest rest = new Strand.Rest(Strand.Rest.Kind.CALL, null, callStart, lastBeat, submitted);
        Step step = evaluator.resumeCall((TaskState) state, cursor, strand.run.context(), strand.run.history,
            watch(strand, rest), new LambdaCall.Resumed(callStart, lastBeat, submitted));
        return new Resumption(step, rest);
      }
      default -> {
        List<Cursor> starts = new ArrayList<>();
        List<Object> resumes = new ArrayList<>();
        for (Object b : (List<?>) captured.get("branches")) {
          Map<?, ?> branch = (Map<?, ?>) b;
          if (branch.containsKey("strand")) {
            Map<?, ?> child = (Map<?, ?>) branch.get("strand");
            starts.add(Snapshots.cursor(child.get("cursor")));
            resumes.add(child);
          } else if (branch.containsKey("start")) {
            Cursor start = Snapshots.cursor(branch.get("start"));
            starts.add(start);
            resumes.add(start);
          } else {
            starts.add(null);
            resumes.add(new Cursor.BranchProgress(branch.get("output"), null));
          }
        }
        Step step = evaluator.resumeFanOut(state, cursor, strand.run.history, branchesOf(strand), starts, resumes);
        return new Resumption(step, new Strand.Rest(Strand.Rest.Kind.FAN_OUT, null, null, null, false));
      }
    }
  }

  private static Map<String, Object> startLine(Run run) {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("name", run.machine.name());
    machine.put("arn", run.machine.arn());
    machine.put("roleArn", run.machine.roleArn());
    machine.put("definition", run.machine.source());
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("k", "start");
    line.put("arn", run.arn);
    line.put("name", run.name);
    line.put("sequence", run.sequence);
    line.put("startDate", run.startDate.toString());
    line.put("input", run.input);
    line.put("machine", machine);
    return line;
  }

  /**
   * What {@link #recover()} found: every execution read back (without history), in start order;
   * how many were resumed; and what could not be read, one sentence each (a journal cut short by
   * a crash, a file skipped as unreadable, which is kept beside as {@code *.unreadable}).
   */
  public record Recovered(List<Execution> executions, int resumed, List<String> problems) {}

  /**
   * Reads back the executions journaled under the journal directory, once, before any is started:
   * finished ones as they ended; running ones resume where their last checkpoint saw them, their
   * history cut back to that point (what followed is recorded again as it re-runs).
   */
  public Recovered recover() {
    if (journalDir == null) {
      return new Recovered(List.of(), 0, List.of());
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(journalDir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the journal directory " + journalDir, e);
    }
    List<String> problems = new ArrayList<>();
    List<Run> restored = new ArrayList<>();
    Map<Run, Map<String, Object>> resuming = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        restore(file, problems, restored, resuming);
      } catch (IOException | RuntimeException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
        problems.add(file + " is not a readable execution journal (" + e + "): skipped, and kept as " + aside);
        try {
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moveFailed) {
          problems.add("cannot move " + file + " aside: " + moveFailed);
        }
      }
    }
    restored.sort(Comparator.comparingLong(r -> r.sequence));
    restored.stream().mapToLong(r -> r.sequence).max().ifPresent(max -> sequence.set(Math.max(sequence.get(), max + 1)));
    resuming.forEach(this::resume);
    return new Recovered(restored.stream().map(Run::summary).toList(), resuming.size(), List.copyOf(problems));
  }

  @SuppressWarnings("unchecked")
  private void restore(Path file, List<String> problems, List<Run> restored, Map<Run, Map<String, Object>> resuming)
      throws IOException {
    Journal.Lines read = Journal.read(file);
    List<Map<String, Object>> lines = read.lines();
    if (lines.isEmpty() || !"start".equals(lines.get(0).get("k"))) {
      throw new IllegalArgumentException("it does not begin with an execution's start");
    }
    if (read.cut() > 0) {
      problems.add(file + ": line " + read.cut() + " is " + read.cutReason() + ", cut short by a crash while it was"
          + " written: loaded the " + lines.size() + " lines before it, and dropped it");
      Journal.truncate(file, read.validBytes());
    }
    Map<String, Object> start = lines.get(0);
    Map<String, Object> m = (Map<String, Object>) start.get("machine");
    String source = (String) m.get("definition");
    StateMachine machine = new StateMachine((String) m.get("name"), (String) m.get("arn"), (String) m.get("roleArn"),
        Definition.parse(source), source);
    String arn = (String) start.get("arn");
    List<HistoryEvent> events = new ArrayList<>();
    Map<String, Object> status = null;
    Map<String, Object> checkpoint = null;
    Map<String, Object> redrive = null;
    Cursor lastFailedAt = null;
    for (Map<String, Object> line : lines.subList(1, lines.size())) {
      switch (String.valueOf(line.get("k"))) {
        case "event" -> events.add(History.event(line));
        case "checkpoint" -> checkpoint = line;
        case "status" -> {
          status = line;
          checkpoint = null;
          lastFailedAt = line.get("failedAt") == null ? null : Snapshots.cursor(line.get("failedAt"));
        }
        case "redrive" -> {
          redrive = line;
          status = null;
          checkpoint = null;
        }
        case "truncate" -> {
          int n = ((Number) line.get("events")).intValue();
          events.subList(Math.min(n, events.size()), events.size()).clear();
        }
        default -> throw new IllegalArgumentException("unknown line kind " + line.get("k"));
      }
    }
    Journal journal = new Journal(file);
    History history = new History(clock, events, journal);
    Run run = new Run(machine, arn, (String) start.get("name"), start.get("input"),
        Instant.parse((String) start.get("startDate")), history, journal, ((Number) start.get("sequence")).longValue());
    if (runs.putIfAbsent(arn, run) != null) {
      throw new IllegalArgumentException("a second journal of " + arn);
    }
    restored.add(run);
    if (redrive != null) {
      run.restoreRedrive(((Number) redrive.get("redriveCount")).intValue(), Instant.parse((String) redrive.get("redriveDate")));
    }
    if (status != null) {
      String error = (String) status.get("error");
      String cause = (String) status.get("cause");
      run.restoreEnd(ExecutionStatus.valueOf((String) status.get("status")), status.get("output"),
          error == null && cause == null ? null : new StatesError(error, cause),
          Snapshots.instant(status.get("stopDate")), lastFailedAt);
      return;
    }
    // Still running: go on from the last checkpoint, or from where the run began.
    Map<String, Object> tree;
    if (checkpoint != null) {
      int n = ((Number) checkpoint.get("events")).intValue();
      tree = (Map<String, Object>) checkpoint.get("tree");
      if (events.size() > n) {
        synchronized (run.lock()) {
          history.truncate(n);
          journal.append(Map.of("k", "truncate", "events", n));
          journal.flush(true);
        }
      }
    } else {
      Cursor from = redrive != null && lastFailedAt != null ? lastFailedAt.restarted()
          : Cursor.at(machine.definition().startAt(), run.input, Map.of());
      tree = new LinkedHashMap<>();
      tree.put("cursor", Snapshots.cursor(from));
    }
    resuming.put(run, tree);
  }

  private void resume(Run run, Map<String, Object> tree) {
    expectWaitingTokens(run.arn, tree);
    Strand top = top(run, Snapshots.cursor(tree.get("cursor")));
    run.drivenBy(top);
    armTimeout(run);
    executor.execute(() -> drive(top, null, tree));
  }

  /** Every task of the checkpoint still waiting on its token ({@code taskToken} and no outcome yet). */
  private void expectWaitingTokens(String executionArn, Object node) {
    if (node instanceof Map<?, ?> m) {
      if (m.get("taskToken") instanceof String token && m.get("outcome") == null) {
        tokens.expect(token, executionArn);
      }
      m.values().forEach(v -> expectWaitingTokens(executionArn, v));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> expectWaitingTokens(executionArn, v));
    }
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
