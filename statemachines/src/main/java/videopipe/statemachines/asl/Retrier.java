package videopipe.statemachines.asl;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One element of a {@code Retry} list. Defaults and ranges as AWS documents them: IntervalSeconds
 * 1 (1..99999999), MaxAttempts 3 (0..99999999, 0 = never retry), BackoffRate 2.0 (at least 1.0),
 * MaxDelaySeconds unset (1..31622400), JitterStrategy NONE.
 */
public record Retrier(ErrorEquals errorEquals, long intervalSeconds, long maxAttempts, double backoffRate,
                      Optional<Long> maxDelaySeconds, Jitter jitter) {

  public enum Jitter { FULL, NONE }

  /** A bound on one delay, so that a large BackoffRate cannot overflow a Duration. */
  private static final double LONGEST_SECONDS = 99_999_999d;

  /**
   * The wait before retry number {@code retriesSoFar + 1}: IntervalSeconds × BackoffRate^retriesSoFar,
   * capped at MaxDelaySeconds, then with FULL jitter a uniformly random part of it.
   */
  public Duration delay(int retriesSoFar, RandomGenerator random) {
    double seconds = intervalSeconds * Math.pow(backoffRate, retriesSoFar);
    if (maxDelaySeconds.isPresent()) {
      seconds = Math.min(seconds, maxDelaySeconds.get());
    }
    seconds = Math.min(seconds, LONGEST_SECONDS);
    if (jitter == Jitter.FULL) {
      seconds = seconds * random.nextDouble();
    }
    return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
  }

  static Optional<Retrier> parse(Obj o) {
    o.allowOnly(Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
        "MaxDelaySeconds", "JitterStrategy", "Comment"), Set.of(), "in a Retrier");
    Optional<ErrorEquals> errors = ErrorEquals.parse(o);
    long interval = o.integer("IntervalSeconds", 1, 99_999_999).orElse(1L);
    long attempts = o.integer("MaxAttempts", 0, 99_999_999).orElse(3L);
    double rate = o.number("BackoffRate", 1.0, Double.MAX_VALUE).orElse(2.0);
    Optional<Long> maxDelay = o.integer("MaxDelaySeconds", 1, 31_622_400);
    Jitter jitter = jitter(o);
    return errors.map(e -> new Retrier(e, interval, attempts, rate, maxDelay, jitter));
  }

  private static Jitter jitter(Obj o) {
    Optional<String> text = o.string("JitterStrategy");
    if (text.isEmpty()) {
      return Jitter.NONE;
    }
    try {
      return Jitter.valueOf(text.get());
    } catch (IllegalArgumentException e) {
      o.problems.schema(o.at("JitterStrategy"), "must be \"FULL\" or \"NONE\", was \"" + text.get() + "\"");
      return Jitter.NONE;
    }
  }
}
