package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Catcher;
import videopipe.statemachines.asl.QueryLanguage;
import videopipe.statemachines.asl.Retrier;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.State;

/**
 * What a failed Task or Parallel state does next, as AWS decides it: the first Retrier whose ErrorEquals matches
 * retries after its back-off while it has attempts left (each Retrier counts its own); once that
 * Retrier is spent, or if none matches, the first matching Catcher takes over; otherwise the
 * state fails.
 */
final class Recovery {

  private Recovery() {}

  static Step after(State state, List<Retrier> retry, List<Catcher> catchers, Cursor cursor, StatesError error, Scope scope,
                    Clock clock, RandomGenerator random) {
    for (int i = 0; i < retry.size(); i++) {
      Retrier r = retry.get(i);
      if (r.errorEquals().matches(error.error())) {
        int done = cursor.retriesOf(i);
        if (done < r.maxAttempts()) {
          return new Step.Waiting(clock.instant().plus(r.delay(done, random)), cursor.retried(i));
        }
        break;
      }
    }
    for (Catcher c : catchers) {
      if (c.errorEquals().matches(error.error())) {
        return caught(state, c, error, scope);
      }
    }
    return new Step.Failed(error);
  }

  private static Step caught(State state, Catcher c, StatesError error, Scope scope) {
    Map<String, Object> errorOutput = new LinkedHashMap<>();
    errorOutput.put("Error", error.error());
    if (error.cause() != null) {
      errorOutput.put("Cause", error.cause());
    }
    Object output;
    Map<String, Object> variables;
    if (state.queryLanguage() == QueryLanguage.JSONPATH) {
      output = Paths.write(c.resultPath(), scope.input(), errorOutput);
      variables = scope.variables();
    } else {
      Scope s = scope.withErrorOutput(errorOutput);
      output = c.output().isEmpty() ? errorOutput : Templating.fill(c.output().get(), s);
      variables = Shaping.assign(c.assign(), s);
    }
    return new Step.Next(Cursor.at(c.next(), output, variables), output);
  }
}
