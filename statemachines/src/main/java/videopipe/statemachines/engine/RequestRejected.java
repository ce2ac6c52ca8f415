package videopipe.statemachines.engine;

/** A request Step Functions would refuse (about an execution or a task token), with its error code. */
public final class RequestRejected extends RuntimeException {

  /** AWS's error codes for these refusals, as the API returns them. */
  public enum Code {
    ExecutionAlreadyExists, ExecutionDoesNotExist, ExecutionNotRedrivable, InvalidExecutionInput, InvalidName,
    InvalidOutput, InvalidToken, TaskDoesNotExist, TaskTimedOut
  }

  private final Code code;

  public RequestRejected(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
