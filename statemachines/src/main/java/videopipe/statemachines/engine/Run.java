package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.asl.StatesError;

/**
 * The live side of one execution; changed only under its lock (its history's, so that the
 * history, the status and the journal always agree), read through {@link #snapshot()}. It ends
 * once per run (success, failure, abort, timeout), whichever comes first; a strand that finishes
 * after that changes nothing.
 */
final class Run {

  final StateMachine machine;
  final String arn;
  final String name;
  final Object input;
  final Instant startDate;
  final History history;
  /** Where its lines go, or null (an engine without a data directory). */
  final Journal journal;
  /** Its place in the engine's start order, which ListExecutions follows across restarts. */
  final long sequence;

  private ExecutionStatus status = ExecutionStatus.RUNNING;
  private Object output;
  private StatesError error;
  private Instant stopDate;
  private int redriveCount;
  private Instant redriveDate;
  private Cursor failedAt;
  private ExecutionContext context;
  private Strand top;
  private CompletableFuture<Execution> done = new CompletableFuture<>();

  Run(StateMachine machine, String arn, String name, Object input, Instant startDate, History history, Journal journal,
      long sequence) {
    this.machine = machine;
    this.arn = arn;
    this.name = name;
    this.input = input;
    this.startDate = startDate;
    this.history = history;
    this.journal = journal;
    this.sequence = sequence;
  }

  /** The lock of this execution. */
  Object lock() {
    return history;
  }

  /** The context object's execution-wide part: made once, and again on redrive (its RedriveCount changes). */
  ExecutionContext context() {
    synchronized (history) {
      if (context == null) {
        context = new ExecutionContext(arn, name, machine.arn(), machine.name(), machine.roleArn(), input, startDate,
            redriveCount);
      }
      return context;
    }
  }

  CompletableFuture<Execution> done() {
    synchronized (history) {
      return done;
    }
  }

  boolean running() {
    synchronized (history) {
      return status == ExecutionStatus.RUNNING;
    }
  }

  void drivenBy(Strand strand) {
    synchronized (history) {
      top = strand;
    }
  }

  Strand top() {
    synchronized (history) {
      return top;
    }
  }

  int redriveCount() {
    synchronized (history) {
      return redriveCount;
    }
  }

  /** When the current run began: the start, or the last redrive (an execution's TimeoutSeconds counts from it). */
  Instant runStart() {
    synchronized (history) {
      return redriveDate != null ? redriveDate : startDate;
    }
  }

  /**
   * Ends this run with {@code status} if it is still running: records {@code event} in the
   * history first, so that the history's last event and the status always agree, and forces both
   * to the journal.
   */
  boolean end(ExecutionStatus to, Object out, StatesError e, Cursor at, Instant when, Runnable event) {
    CompletableFuture<Execution> finished;
    synchronized (history) {
      if (status != ExecutionStatus.RUNNING) {
        return false;
      }
      event.run();
      status = to;
      output = out;
      error = e;
      stopDate = when;
      failedAt = to == ExecutionStatus.SUCCEEDED ? null : (at != null ? at : top.cursor);
      finished = done;
      if (journal != null) {
        journal.append(statusLine());
        journal.flush(true);
      }
    }
    finished.complete(snapshot());
    return true;
  }

  /** Back to RUNNING, as RedriveExecution does: the cursor to resume from. */
  Cursor redrive(Instant when) {
    synchronized (history) {
      if (status != ExecutionStatus.FAILED && status != ExecutionStatus.TIMED_OUT && status != ExecutionStatus.ABORTED
          || failedAt == null) {
        throw new RequestRejected(RequestRejected.Code.ExecutionNotRedrivable,
            "Execution " + arn + " is " + status + "; only FAILED, TIMED_OUT or ABORTED executions can be redriven");
      }
      redriveCount++;
      context = null;
      redriveDate = when;
      status = ExecutionStatus.RUNNING;
      Cursor resume = failedAt.restarted();
      failedAt = null;
      error = null;
      stopDate = null;
      done = new CompletableFuture<>();
      if (journal != null) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("k", "redrive");
        line.put("redriveCount", redriveCount);
        line.put("redriveDate", redriveDate.toString());
        journal.append(line);
      }
      return resume;
    }
  }

  private Map<String, Object> statusLine() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("k", "status");
    line.put("status", status.name());
    line.put("output", output);
    line.put("error", error == null ? null : error.error());
    line.put("cause", error == null ? null : error.cause());
    line.put("stopDate", Snapshots.instant(stopDate));
    line.put("failedAt", failedAt == null ? null : Snapshots.cursor(failedAt));
    line.put("events", history.size());
    return line;
  }

  /** Sets what a journal said of how the last run ended (recovery). */
  void restoreEnd(ExecutionStatus to, Object out, StatesError e, Instant when, Cursor at) {
    synchronized (history) {
      status = to;
      output = out;
      error = e;
      stopDate = when;
      failedAt = at;
      done.complete(snapshot());
    }
  }

  /** Sets what a journal said of a redrive (recovery). */
  void restoreRedrive(int count, Instant when) {
    synchronized (history) {
      redriveCount = count;
      redriveDate = when;
      status = ExecutionStatus.RUNNING;
      output = null;
      error = null;
      stopDate = null;
      failedAt = null;
      context = null;
      if (done.isDone()) {
        done = new CompletableFuture<>();
      }
    }
  }

  Execution snapshot() {
    synchronized (history) {
      return new Execution(arn, name, machine.arn(), status, input, output, Optional.ofNullable(error), startDate,
          stopDate, redriveCount, redriveDate, failedAt, history.events());
    }
  }

  /** As {@link #snapshot()}, without the history (empty): what listing and describing need, at no copying cost. */
  Execution summary() {
    synchronized (history) {
      return new Execution(arn, name, machine.arn(), status, input, output, Optional.ofNullable(error), startDate,
          stopDate, redriveCount, redriveDate, failedAt, List.of());
    }
  }
}
