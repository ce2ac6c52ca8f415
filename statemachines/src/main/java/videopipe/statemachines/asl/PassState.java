package videopipe.statemachines.asl;

import java.util.Optional;
import java.util.Set;

/** Passes its input to its output, optionally shaped, or injects a fixed {@code Result} (JSONPath). */
public record PassState(String name, QueryLanguage queryLanguage, Io io, Optional<Object> result, Transition then)
    implements State {

  @Override
  public String type() {
    return "Pass";
  }

  static PassState parse(String name, Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("Next", "End", "InputPath", "Parameters", "Result", "ResultPath", "OutputPath")),
          State.JSONPATH_NOT_YET, "by a JSONPath Pass state");
    } else {
      o.allowOnly(State.fields(Set.of("Next", "End", "Output", "Assign")), Set.of(), "by a JSONata Pass state");
    }
    Optional<Object> result = Optional.ofNullable(o.get("Result")).map(Json::value);
    return new PassState(name, language, Io.parse(o, language), result, Transitions.read(o));
  }
}
