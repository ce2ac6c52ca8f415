package videopipe.statemachines.asl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AWS's matching rules (docs: concepts-error-handling): States.ALL matches every error but the
 * terminal States.Runtime and States.DataLimitExceeded; States.TaskFailed every error but
 * States.Timeout. Names are case-sensitive.
 */
class ErrorEqualsTest {

  @Test
  void statesAllMatchesTheFunctionsOwnErrors() {
    assertThat(new ErrorEquals(List.of("States.ALL")).matches("videopipe.functions.TransientFailure")).isTrue();
    assertThat(new ErrorEquals(List.of("States.ALL")).matches("States.Timeout")).isTrue();
  }

  @Test
  void statesAllDoesNotMatchTerminalErrors() {
    assertThat(new ErrorEquals(List.of("States.ALL")).matches("States.Runtime")).isFalse();
    assertThat(new ErrorEquals(List.of("States.ALL")).matches("States.DataLimitExceeded")).isFalse();
  }

  @Test
  void taskFailedMatchesEverythingButTimeout() {
    assertThat(new ErrorEquals(List.of("States.TaskFailed")).matches("Lambda.ServiceException")).isTrue();
    assertThat(new ErrorEquals(List.of("States.TaskFailed")).matches("States.Timeout")).isFalse();
  }

  @Test
  void namesMatchExactlyAndCaseSensitively() {
    ErrorEquals e = new ErrorEquals(List.of("videopipe.functions.TransientFailure"));
    assertThat(e.matches("videopipe.functions.TransientFailure")).isTrue();
    assertThat(e.matches("videopipe.functions.transientfailure")).isFalse();
    assertThat(e.matches("TransientFailure")).isFalse();
  }
}
