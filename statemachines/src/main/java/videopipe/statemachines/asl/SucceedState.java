package videopipe.statemachines.asl;

import java.util.Set;

/** Ends the execution (or a branch) successfully. */
public record SucceedState(String name, QueryLanguage queryLanguage, Io io) implements State {

  @Override
  public String type() {
    return "Succeed";
  }

  static SucceedState parse(String name, Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("InputPath", "OutputPath")), Set.of(), "by a JSONPath Succeed state");
    } else {
      o.allowOnly(State.fields(Set.of("Output")), Set.of(), "by a JSONata Succeed state");
    }
    return new SucceedState(name, language, Io.parse(o, language));
  }
}
