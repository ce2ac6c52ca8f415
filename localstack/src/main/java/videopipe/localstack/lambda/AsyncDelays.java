package videopipe.localstack.lambda;

import java.time.Duration;

/**
 * How long Lambda's asynchronous queue waits before retrying: after a function error, about one
 * minute before the second attempt and two before the third; after a throttle or a service error,
 * from one second, doubling, up to five minutes (AWS's documented behaviour). Tests shorten them.
 */
public record AsyncDelays(Duration firstRetry, Duration secondRetry, Duration throttleBase, Duration throttleCap) {

  public static final AsyncDelays AWS =
      new AsyncDelays(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMinutes(5));

  public AsyncDelays {
    for (Duration d : new Duration[] {firstRetry, secondRetry, throttleBase, throttleCap}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("delays must be zero or positive");
      }
    }
  }

  /** The delay before the retry that follows function error number {@code errors} (1 or 2). */
  Duration afterFunctionError(int errors) {
    return errors <= 1 ? firstRetry : secondRetry;
  }

  /** The delay after throttle number {@code throttles} (1, 2, …). */
  Duration afterThrottle(int throttles) {
    long base = throttleBase.toMillis();
    long cap = throttleCap.toMillis();
    long d = base << Math.min(Math.max(throttles - 1, 0), 40);
    return Duration.ofMillis(d <= 0 || d > cap ? cap : d);
  }
}
