package videopipe.functions;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Sorts AWS SDK failures into the ones the state machine should retry and the rest. */
public final class AwsErrors {

  private AwsErrors() {}

  /**
   * Whether a failed call may succeed if tried again later: throttling, server-side errors, and
   * client-side I/O failures (the SDK already retried a few times before giving up).
   */
  public static boolean isTransient(SdkException e) {
    if (e instanceof SdkServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500 || service.statusCode() == 429;
    }
    return e instanceof SdkClientException;
  }

  /**
   * Rethrows {@code e} as a {@link TransientFailure} when it is transient, else as it is: an access
   * denied or a validation error is a bug or a misconfiguration, which retrying will not fix.
   */
  public static RuntimeException classify(String doing, SdkException e) {
    return isTransient(e) ? new TransientFailure(doing + ": " + e.getMessage(), e) : e;
  }
}
