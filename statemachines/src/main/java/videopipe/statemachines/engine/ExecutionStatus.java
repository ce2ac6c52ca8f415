package videopipe.statemachines.engine;

/** AWS's execution statuses (PENDING_REDRIVE is not produced: a redrive starts at once). */
public enum ExecutionStatus { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE }
