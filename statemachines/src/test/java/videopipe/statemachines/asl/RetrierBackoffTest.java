package videopipe.statemachines.asl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The delay before each retry: IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, scaled by FULL jitter. */
class RetrierBackoffTest {

  private static final ErrorEquals ANY = new ErrorEquals(List.of("States.ALL"));

  private static RandomGenerator draw(double d) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return d;
      }
    };
  }

  @Test
  void growsByTheBackoffRate() {
    Retrier r = new Retrier(ANY, 2, 5, 3.0, Optional.empty(), Retrier.Jitter.NONE);
    assertThat(List.of(r.delay(0, draw(0)), r.delay(1, draw(0)), r.delay(2, draw(0))))
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(18));
  }

  @Test
  void neverExceedsMaxDelaySeconds() {
    Retrier r = new Retrier(ANY, 10, 5, 10.0, Optional.of(50L), Retrier.Jitter.NONE);
    assertThat(r.delay(3, draw(0))).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void fullJitterTakesARandomPartOfTheDelay() {
    Retrier r = new Retrier(ANY, 4, 5, 2.0, Optional.empty(), Retrier.Jitter.FULL);
    assertThat(r.delay(1, draw(0.25))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aHugeBackoffDoesNotOverflow() {
    Retrier r = new Retrier(ANY, 99_999_999, 99_999_999, 1000.0, Optional.empty(), Retrier.Jitter.NONE);
    assertThat(r.delay(500, draw(0))).isEqualTo(Duration.ofSeconds(99_999_999));
  }
}
