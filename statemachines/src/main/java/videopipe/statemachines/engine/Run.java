package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.asl.StatesError;

/**
 * The live side of one execution; changed only under its own lock, read through
 * {@link #snapshot()}. It ends once per run (success, failure, abort, timeout), whichever comes
 * first; a strand that finishes after that changes nothing.
 */
final class Run {

  final StateMachine machine;
  final String arn;
  final String name;
  final Object input;
  final Instant startDate;
  final History history;

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

  Run(StateMachine machine, String arn, String name, Object input, Instant startDate, History history) {
    this.machine = machine;
    this.arn = arn;
    this.name = name;
    this.input = input;
    this.startDate = startDate;
    this.history = history;
  }

  /** The context object's execution-wide part: made once, and again on redrive (its RedriveCount changes). */
  synchronized ExecutionContext context() {
    if (context == null) {
      context = new ExecutionContext(arn, name, machine.arn(), machine.name(), machine.roleArn(), input, startDate,
          redriveCount);
    }
    return context;
  }

  synchronized CompletableFuture<Execution> done() {
    return done;
  }

  synchronized boolean running() {
    return status == ExecutionStatus.RUNNING;
  }

  synchronized void drivenBy(Strand strand) {
    top = strand;
  }

  synchronized int redriveCount() {
    return redriveCount;
  }

  /**
   * Ends this run with {@code status} if it is still running: records {@code event} in the
   * history first, so that the history's last event and the status always agree.
   */
  boolean end(ExecutionStatus to, Object out, StatesError e, Cursor at, Instant when, Runnable event) {
    CompletableFuture<Execution> finished;
    synchronized (this) {
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
    }
    finished.complete(snapshot());
    return true;
  }

  /** Back to RUNNING, as RedriveExecution does: the cursor to resume from. */
  synchronized Cursor redrive(Instant when) {
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
    return resume;
  }

  synchronized Execution snapshot() {
    return new Execution(arn, name, machine.arn(), status, input, output, Optional.ofNullable(error), startDate, stopDate,
        redriveCount, redriveDate, failedAt, history.events());
  }
}
