package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import videopipe.statemachines.asl.StatesError;

/**
 * An execution as it was at one moment: what DescribeExecution and GetExecutionHistory report.
 * Immutable. A failed execution keeps {@code failedAt}, the cursor of the state that failed, which
 * is where a redrive resumes.
 */
public record Execution(String arn, String name, String stateMachineArn, ExecutionStatus status, Object input,
                        Object output, Optional<StatesError> error, Instant startDate, Instant stopDate,
                        int redriveCount, Instant redriveDate, Cursor failedAt, List<HistoryEvent> history) {

  /** AWS's redriveStatus: only FAILED, TIMED_OUT and ABORTED executions can be redriven. */
  public boolean redrivable() {
    return status == ExecutionStatus.FAILED || status == ExecutionStatus.TIMED_OUT || status == ExecutionStatus.ABORTED;
  }
}
