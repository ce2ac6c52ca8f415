package videopipe.localstack.eventbridge;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long EventBridge waits before retry {@code n}: exponential back-off with full jitter (a
 * random delay between zero and {@code min(cap, base × 2^(n-1))}), the scheme AWS describes in
 * "Exponential Backoff And Jitter" and names for EventBridge's retries. AWS does not publish its
 * base and cap; the local defaults (1 s, 5 min) spread 185 retries over most of a day, and tests
 * shorten them.
 */
public record Backoff(Duration base, Duration cap) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    if (base == null || cap == null || base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("back-off needs 0 <= base <= cap, was " + base + ", " + cap);
    }
  }

  /** The delay before retry {@code retry} (1 for the first retry). */
  public Duration delay(int retry, RandomGenerator random) {
    long ceiling = cap.toMillis();
    long baseMillis = base.toMillis();
    if (baseMillis > 0) {
      long exponential = baseMillis << Math.min(Math.max(retry - 1, 0), 40);
      if (exponential > 0 && exponential < ceiling) {
        ceiling = exponential;
      }
    }
    return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }
}
