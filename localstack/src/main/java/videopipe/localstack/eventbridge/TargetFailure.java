package videopipe.localstack.eventbridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Why a target refused an event, in the terms EventBridge's dead-letter messages use
 * ({@code ERROR_CODE}, {@code ERROR_MESSAGE}) and whether EventBridge retries it. AWS retries
 * throttling, 5xx answers and transport failures, and sends the others (no such resource, no
 * permission, a bad parameter) to the dead-letter queue at once.
 *
 * <p>A target may throw one directly; any other exception is {@link #classify classified}: an AWS
 * SDK service error by its status and code, an SDK client error or I/O error as a connection
 * failure, anything else as {@code INTERNAL_ERROR}, retried.
 */
public final class TargetFailure extends RuntimeException {

  /** The {@code ERROR_CODE} values the local EventBridge uses, from AWS's list, with whether AWS retries them. */
  public enum ErrorCode {
    CONNECTION_FAILURE(true),
    INTERNAL_ERROR(true),
    SDK_CLIENT_ERROR(true),
    THROTTLING(true),
    TIMEOUT(true),
    INVALID_JSON(false),
    INVALID_PARAMETER(false),
    NO_PERMISSIONS(false),
    NO_RESOURCE(false),
    RESOURCE_ALREADY_EXISTS(false),
    ERROR_FROM_TARGET(false);

    public final boolean retriable;

    ErrorCode(boolean retriable) {
      this.retriable = retriable;
    }
  }

  private final ErrorCode errorCode;

  public TargetFailure(ErrorCode errorCode, String message) {
    super(message, null, false, false);
    this.errorCode = errorCode;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  public boolean retriable() {
    return errorCode.retriable;
  }

  /** What a target's exception means to EventBridge. */
  public static TargetFailure classify(Throwable thrown) {
    if (thrown instanceof TargetFailure f) {
      return f;
    }
    String message = String.valueOf(thrown.getMessage());
    if (thrown instanceof SdkServiceException e) {
      String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null
          && a.awsErrorDetails().errorCode() != null ? a.awsErrorDetails().errorCode() : "";
      int status = e.statusCode();
      ErrorCode c;
      if (status == 429 || e.isThrottlingException() || code.contains("Throttl") || code.contains("TooManyRequests")) {
        c = ErrorCode.THROTTLING;
      } else if (status >= 500) {
        c = ErrorCode.INTERNAL_ERROR;
      } else if (status == 404 || code.contains("NotFound") || code.contains("DoesNotExist")) {
        c = ErrorCode.NO_RESOURCE;
      } else if (status == 403 || code.contains("AccessDenied") || code.contains("NotAuthorized")) {
        c = ErrorCode.NO_PERMISSIONS;
      } else if (code.contains("AlreadyExists")) {
        c = ErrorCode.RESOURCE_ALREADY_EXISTS;
      } else {
        c = ErrorCode.INVALID_PARAMETER;
      }
      return new TargetFailure(c, (code.isEmpty() ? "" : code + ": ") + message);
    }
    if (thrown instanceof SdkClientException || thrown instanceof UncheckedIOException || thrown.getCause() instanceof IOException) {
      return new TargetFailure(ErrorCode.CONNECTION_FAILURE, message);
    }
    return new TargetFailure(ErrorCode.INTERNAL_ERROR, thrown.getClass().getName() + ": " + message);
  }
}
