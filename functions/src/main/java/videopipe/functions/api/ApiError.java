package videopipe.functions.api;

/**
 * The API's error codes, each with its HTTP status: the {@code error} of the error body {@code
 * {"error": code, "message": text, "field"?: name}}. Clients branch on the code, people read the
 * message, and {@code field} names the request field at fault (a JSON path like {@code
 * captions[2].lang}) when there is one.
 */
public enum ApiError {
  /** No verified subject in the request context: the authorizer did not run, or the token has no {@code sub}. */
  UNAUTHORIZED(401),
  /** The body is not JSON, or not a JSON object. */
  MALFORMED_JSON(400),
  BODY_TOO_LARGE(413),
  MISSING_FIELD(400),
  UNKNOWN_FIELD(400),
  /** A field has the wrong type, or a value outside what it allows. */
  INVALID_FIELD(400),
  /** {@code sizeBytes} over the stack's limit. */
  TOO_LARGE(400),
  UNSUPPORTED_CONTENT_TYPE(400),
  TOO_MANY_CAPTIONS(400),
  /** The parts given to complete a multipart upload do not match what was uploaded or planned. */
  INVALID_PARTS(400),
  INVALID_CURSOR(400),
  /** No such video, or another creator's: the two are indistinguishable on purpose. */
  NOT_FOUND(404),
  /** Completing an upload that is a single PUT. */
  NOT_MULTIPART(409),
  ALREADY_COMPLETED(409),
  UPLOAD_ABORTED(409);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** This error, with a message for people and the field at fault (or null). */
  ApiException because(String message, String field) {
    return new ApiException(this, message, field);
  }

  ApiException because(String message) {
    return new ApiException(this, message, null);
  }

  /**
   * A refused request, thrown from deep in parsing or checking and rendered once, by {@link
   * HttpRoutes}, as the error body: the shape S3Proxy uses for S3's error codes. It never escapes
   * a function: a request a client got wrong is an answer, not a failure of the Lambda.
   */
  static final class ApiException extends RuntimeException {
    private final ApiError error;
    private final String field;

    ApiException(ApiError error, String message, String field) {
      super(message, null, false, false);
      this.error = error;
      this.field = field;
    }

    ApiError error() {
      return error;
    }

    String field() {
      return field;
    }
  }
}
