package videopipe.statemachines.engine;

/** AWS's execution statuses (TIMED_OUT, ABORTED and PENDING_REDRIVE are not produced yet). */
public enum ExecutionStatus { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE }
