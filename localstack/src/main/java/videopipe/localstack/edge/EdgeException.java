package videopipe.localstack.edge;

/**
 * An error the edge answers itself, the request having reached no service: in the JSON protocols'
 * shape ({@code x-amzn-ErrorType} and {@code {"__type", "message"}}) or S3's XML, whichever the
 * request was meant for, so that the AWS SDKs and CLI report the code and message as they would a
 * service's.
 */
final class EdgeException extends RuntimeException {

  enum Code {
    /** An {@code X-Amz-Target} no local service serves (the JSON protocols' own code). */
    UnknownOperationException(400),
    /** A request that is not HTTP/1.1 the edge can frame (bad Content-Length, head too large, …). */
    BadRequest(400),
    /** The service the request is meant for does not run in this stack or does not answer. */
    ServiceUnavailable(502);

    final int status;

    Code(int status) {
      this.status = status;
    }
  }

  final Code code;

  EdgeException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
