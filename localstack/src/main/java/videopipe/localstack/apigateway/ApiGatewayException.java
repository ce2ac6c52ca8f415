package videopipe.localstack.apigateway;

/**
 * A request API Gateway answers itself, before or instead of the function: the fixed bodies HTTP
 * APIs send ({@code {"message":"Not Found"}} and the like), one code per status, rendered by one
 * handler in {@link HttpApiGateway}, as S3Proxy renders its {@code S3ErrorCode}s.
 */
final class ApiGatewayException extends RuntimeException {

  enum Code {
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not Found"),
    REQUEST_ENTITY_TOO_LARGE(413, "Request Entity Too Large"),
    INTERNAL_SERVER_ERROR(500, "Internal Server Error");

    final int status;
    final String message;

    Code(int status, String message) {
      this.status = status;
      this.message = message;
    }
  }

  final Code code;

  /** {@code why} is for the gateway's log only: API Gateway never tells the client why. */
  ApiGatewayException(Code code, String why) {
    super(why, null, false, false);
    this.code = code;
  }
}
