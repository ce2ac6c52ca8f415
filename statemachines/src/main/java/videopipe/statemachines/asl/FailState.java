package videopipe.statemachines.asl;

import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Ends the execution as failed with an error name and cause. JSONPath: {@code Error}/{@code Cause}
 * literals or {@code ErrorPath}/{@code CausePath}; JSONata: literals or {@code {% %}} expressions.
 */
public record FailState(String name, QueryLanguage queryLanguage, Optional<Template> error, Optional<Template> cause)
    implements State {

  @Override
  public String type() {
    return "Fail";
  }

  static FailState parse(String name, Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("Error", "Cause", "ErrorPath", "CausePath")), Set.of(), "by a JSONPath Fail state");
      return new FailState(name, language, pathOrLiteral(o, "Error"), pathOrLiteral(o, "Cause"));
    }
    o.allowOnly(State.fields(Set.of("Error", "Cause")), Set.of(), "by a JSONata Fail state");
    return new FailState(name, language, jsonata(o, "Error"), jsonata(o, "Cause"));
  }

  private static Optional<Template> pathOrLiteral(Obj o, String field) {
    if (o.has(field) && o.has(field + "Path")) {
      o.problems.schema(o.path, "a Fail state may have '" + field + "' or '" + field + "Path', not both");
    }
    if (o.has(field + "Path")) {
      Optional<String> text = o.string(field + "Path");
      if (text.isPresent() && text.get().startsWith("States.")) {
        return Intrinsic.parse(text.get(), o.at(field + "Path"), o.problems).map(Template.IntrinsicValue::new);
      }
      return text.flatMap(t -> DataPath.parse(t, o.at(field + "Path"), DataPath.Kind.PATH, o.problems))
          .map(Template.PathValue::new);
    }
    return o.string(field).map(Template.Literal::new);
  }

  private static Optional<Template> jsonata(Obj o, String field) {
    JsonNode node = o.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isString()) {
      o.problems.schema(o.at(field), "must be a string or a JSONata expression");
      return Optional.empty();
    }
    return Optional.of(Templates.jsonata(node, o.at(field), o.problems));
  }
}
