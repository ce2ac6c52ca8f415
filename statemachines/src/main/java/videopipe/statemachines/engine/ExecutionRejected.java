package videopipe.statemachines.engine;

/** A request about executions that Step Functions would refuse, with its error code. */
public final class ExecutionRejected extends RuntimeException {

  /** AWS's error codes for these refusals, as the API returns them. */
  public enum Code { ExecutionAlreadyExists, ExecutionDoesNotExist, ExecutionNotRedrivable, InvalidExecutionInput }

  private final Code code;

  public ExecutionRejected(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
