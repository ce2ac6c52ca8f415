package videopipe.localstack.lambda;

import java.time.Duration;
import videopipe.localstack.eventbridge.DeadLetterQueue;

/**
 * A function's asynchronous-invocation settings ({@code PutFunctionEventInvokeConfig}): how many
 * times Lambda retries a function error (0..2, default 2), how long an event may wait in the queue
 * (default and at most 6 h), and where an invocation that failed for good goes (its on-failure
 * destination / dead-letter queue; none: it is discarded, as on AWS, and logged).
 *
 * <p>AWS takes an age of 60 s..6 h ({@link #of}); the local constructor takes any positive age, so
 * a test can see an event expire.
 */
public record EventInvokeConfig(int maximumRetryAttempts, Duration maximumEventAge, DeadLetterQueue onFailure) {

  public static final EventInvokeConfig DEFAULT = new EventInvokeConfig(2, Duration.ofHours(6), null);

  public EventInvokeConfig {
    if (maximumRetryAttempts < 0 || maximumRetryAttempts > 2) {
      throw new IllegalArgumentException("MaximumRetryAttempts must be 0..2, was " + maximumRetryAttempts);
    }
    if (maximumEventAge == null || maximumEventAge.isNegative() || maximumEventAge.isZero()
        || maximumEventAge.compareTo(Duration.ofHours(6)) > 0) {
      throw new IllegalArgumentException("MaximumEventAge must be positive and at most 6 h, was " + maximumEventAge);
    }
  }

  /** As the Lambda API takes it: 0..2 retries, 60..21600 s. */
  public static EventInvokeConfig of(int maximumRetryAttempts, int maximumEventAgeInSeconds, DeadLetterQueue onFailure) {
    if (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 21_600) {
      throw new IllegalArgumentException("MaximumEventAgeInSeconds must be 60..21600, was " + maximumEventAgeInSeconds);
    }
    return new EventInvokeConfig(maximumRetryAttempts, Duration.ofSeconds(maximumEventAgeInSeconds), onFailure);
  }

  public EventInvokeConfig withOnFailure(DeadLetterQueue queue) {
    return new EventInvokeConfig(maximumRetryAttempts, maximumEventAge, queue);
  }
}
