package videopipe.localstack.lambda;

/**
 * A Lambda service error (not a function's: those are payloads, see {@link LambdaErrors}), rendered
 * as the REST-JSON protocol does: the status, {@code x-amzn-ErrorType: <code>} and {@code {"Type",
 * "message"}}, which the AWS SDKs turn into the named exception ({@code ResourceNotFoundException},
 * …). Through Step Functions they surface as {@code Lambda.<code>}, the names a Retry matches.
 */
public final class LambdaException extends RuntimeException {

  public enum Code {
    ResourceNotFoundException(404, "User"),
    InvalidRequestContentException(400, "User"),
    InvalidParameterValueException(400, "User"),
    RequestTooLargeException(413, "User"),
    /** Over the function's concurrency: Step Functions' definitions retry {@code Lambda.TooManyRequestsException}. */
    TooManyRequestsException(429, "User"),
    ServiceException(500, "Service");

    public final int status;
    final String type;

    Code(int status, String type) {
      this.status = status;
      this.type = type;
    }
  }

  public final Code code;

  public LambdaException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
