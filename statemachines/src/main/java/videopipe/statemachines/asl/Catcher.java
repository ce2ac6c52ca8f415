package videopipe.statemachines.asl;

import java.util.Optional;
import java.util.Set;

/**
 * One element of a {@code Catch} list: the errors it handles and the state it goes to. In JSONPath
 * the error output ({@code {"Error", "Cause"}}) is placed into the state's input at ResultPath
 * (default {@code $}, replacing it); in JSONata, Output (default {@code $states.errorOutput}) and
 * Assign decide.
 */
public record Catcher(ErrorEquals errorEquals, String next, DataPath resultPath,
                      Optional<Template> output, Optional<Template> assign) {

  static Optional<Catcher> parse(Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(Set.of("ErrorEquals", "Next", "ResultPath", "Comment"), Set.of("Assign"), "in a JSONPath Catcher");
    } else {
      o.allowOnly(Set.of("ErrorEquals", "Next", "Output", "Assign", "Comment"), Set.of(), "in a JSONata Catcher");
    }
    Optional<ErrorEquals> errors = ErrorEquals.parse(o);
    Optional<String> next = o.requiredString("Next");
    next.ifPresent(n -> o.problems.target(o.at("Next"), n));
    DataPath resultPath = DataPath.field(o, "ResultPath", DataPath.Kind.REFERENCE).orElse(DataPath.ROOT);
    Optional<Template> output = Optional.ofNullable(o.get("Output")).map(n -> Templates.jsonata(n, o.at("Output"), o.problems));
    Optional<Template> assign = Io.assign(o);
    if (errors.isEmpty() || next.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Catcher(errors.get(), next.get(), resultPath, output, assign));
  }
}
