package videopipe.statemachines.asl;

import java.util.Optional;

/** The language a state's fields are written in; JSONPath unless the definition or state says JSONata. */
public enum QueryLanguage {
  JSONPATH("JSONPath"),
  JSONATA("JSONata");

  private final String wire;

  QueryLanguage(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  static Optional<QueryLanguage> parse(Obj o, Problems problems) {
    Optional<String> text = o.string("QueryLanguage");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (QueryLanguage q : values()) {
      if (q.wire.equals(text.get())) {
        return Optional.of(q);
      }
    }
    problems.schema(o.at("QueryLanguage"), "must be \"JSONPath\" or \"JSONata\", was \"" + text.get() + "\"");
    return Optional.empty();
  }
}
