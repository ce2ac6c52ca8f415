package videopipe.functions;

/**
 * An infrastructure error worth retrying (throttling, a 5xx, a dropped connection). It escapes the
 * function uncaught so that the task fails at its own state; the state machine's Retry matches
 * this class's name and backs off, and if retries run out the execution fails there and can be
 * redriven. A bad upload is never one of these: that is a {@code Rejected} result.
 */
public final class TransientFailure extends RuntimeException {

  public TransientFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
