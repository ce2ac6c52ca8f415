package videopipe.statemachines.engine;

import java.util.Optional;
import videopipe.statemachines.asl.FailState;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.Template;

/** Fail: fails the execution with its Error and Cause (literal, path or expression). */
final class FailEvaluator {

  private FailEvaluator() {}

  static Step evaluate(FailState fail, Scope scope) {
    return new Step.Failed(new StatesError(text(fail.error(), scope, "Error"), text(fail.cause(), scope, "Cause")));
  }

  private static String text(Optional<Template> t, Scope scope, String field) {
    if (t.isEmpty()) {
      return null;
    }
    Object v = Templating.fill(t.get(), scope);
    if (!(v instanceof String s)) {
      throw Failure.runtime("The " + field + " of a Fail state must be a string, was " + videopipe.statemachines.asl.Json.write(v));
    }
    return s;
  }
}
