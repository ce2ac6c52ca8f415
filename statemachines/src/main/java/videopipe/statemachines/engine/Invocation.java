package videopipe.statemachines.engine;

/** What a function invocation came to: its output, or an error named as Step Functions sees it. */
public sealed interface Invocation {

  record Returned(Object output) implements Invocation {}

  /**
   * The function failed. For a Lambda function error, {@code error} is the function's
   * {@code errorType} and {@code cause} the error payload as JSON text, as AWS reports them; for
   * Lambda's own failures, names such as {@code Lambda.ServiceException}.
   */
  record Failed(String error, String cause) implements Invocation {}
}
