package videopipe.statemachines.asl;

import java.util.Map;

/** A parsed, valid state machine definition. Immutable; shared by every execution of it. */
public record Definition(String startAt, Map<String, State> states, QueryLanguage queryLanguage,
                         java.util.Optional<Long> timeoutSeconds) {

  public State state(String name) {
    State s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no state named '" + name + "'");
    }
    return s;
  }

  /** Parses and validates ASL JSON; throws {@link InvalidDefinition} listing every problem. */
  public static Definition parse(String json) {
    return DefinitionParser.parse(json);
  }
}
