package videopipe.localstack.eventbridge;

import java.time.Duration;

/**
 * A target's {@code RetryPolicy}: EventBridge retries a delivery that failed with a retriable error
 * (throttling, a 5xx, a connection failure) until it made {@code maximumRetryAttempts} retries or
 * the event is {@code maximumEventAge} old, whichever comes first, then sends it to the target's
 * dead-letter queue (or drops it). AWS's defaults: 185 retries, 24 hours.
 *
 * <p>AWS allows 0..185 retries and an age of 60 s..24 h ({@link #of}); the local constructor takes
 * any positive age, so that a test can see an event age out in a second.
 */
public record RetryPolicy(int maximumRetryAttempts, Duration maximumEventAge) {

  /** EventBridge's default when a target sets no policy. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(185, Duration.ofHours(24));
  /** No retry: the first failure goes to the dead-letter queue. */
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofHours(24));

  public RetryPolicy {
    if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
      throw new IllegalArgumentException("MaximumRetryAttempts must be 0..185, was " + maximumRetryAttempts);
    }
    if (maximumEventAge == null || maximumEventAge.isNegative() || maximumEventAge.isZero()
        || maximumEventAge.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("MaximumEventAge must be positive and at most 24 h, was " + maximumEventAge);
    }
  }

  /** The policy as the EventBridge API takes it, with its ranges: 0..185 attempts, 60..86400 s. */
  public static RetryPolicy of(int maximumRetryAttempts, int maximumEventAgeInSeconds) {
    if (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 86_400) {
      throw new IllegalArgumentException("MaximumEventAgeInSeconds must be 60..86400, was " + maximumEventAgeInSeconds);
    }
    return new RetryPolicy(maximumRetryAttempts, Duration.ofSeconds(maximumEventAgeInSeconds));
  }
}
