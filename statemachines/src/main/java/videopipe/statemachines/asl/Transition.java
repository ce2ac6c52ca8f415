package videopipe.statemachines.asl;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Where a state goes once done: the state named by {@code Next}, or the end of the execution. */
public sealed interface Transition {

  record Next(String state) implements Transition {}

  record End() implements Transition {}

  static Transition parse(Obj o) {
    boolean hasNext = o.has("Next");
    JsonNode end = o.get("End");
    if (hasNext && end != null) {
      o.problems.schema(o.path, "a state may have 'Next' or 'End', not both");
    }
    if (end != null) {
      if (!end.isBoolean() || !end.booleanValue()) {
        o.problems.schema(o.at("End"), "must be true when present");
      }
      return new End();
    }
    Optional<String> next = o.string("Next");
    if (!hasNext) {
      o.problems.schema(o.path, "missing 'Next' or 'End'");
    }
    return new Next(next.orElse(""));
  }
}
