package videopipe.localstack.eventbridge;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A rule's target: the resource's ARN (which dead-letter messages name as {@code TARGET_ARN}), what
 * delivering an event to it does, its {@link RetryPolicy} and its dead-letter queue (none: an event
 * whose retries ran out is dropped, as on AWS, and logged). {@code delivery} receives the event's
 * JSON and throws when the target refused it ({@link TargetFailure}, or any exception, classified).
 */
public record Target(String arn, Consumer<String> delivery, RetryPolicy retryPolicy, DeadLetterQueue deadLetterQueue) {

  public Target {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
  }

  /** A target with EventBridge's default retry policy and no dead-letter queue. */
  public static Target of(String arn, Consumer<String> delivery) {
    return new Target(arn, delivery, RetryPolicy.DEFAULT, null);
  }

  public Target withRetryPolicy(RetryPolicy policy) {
    return new Target(arn, delivery, policy, deadLetterQueue);
  }

  public Target withDeadLetterQueue(DeadLetterQueue queue) {
    return new Target(arn, delivery, retryPolicy, queue);
  }
}
