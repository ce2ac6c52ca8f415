package videopipe.statemachines.asl;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * How a state shapes its data, in its query language. JSONPath: InputPath → Parameters → (the
 * work) → ResultSelector → ResultPath → OutputPath. JSONata: Arguments → (the work) → Output, and
 * Assign to variables. A state only carries the fields its type allows; the parser refuses others.
 */
public sealed interface Io {

  record Paths(DataPath inputPath, Optional<Template> parameters, Optional<Template> resultSelector,
               DataPath resultPath, DataPath outputPath) implements Io {}

  record Jsonata(Optional<Template> arguments, Optional<Template> output, Optional<Template> assign) implements Io {}

  static Io parse(Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONATA) {
      Optional<Template> arguments = Optional.ofNullable(o.get("Arguments"))
          .map(n -> Templates.jsonata(n, o.at("Arguments"), o.problems));
      Optional<Template> output = Optional.ofNullable(o.get("Output"))
          .map(n -> Templates.jsonata(n, o.at("Output"), o.problems));
      return new Jsonata(arguments, output, assign(o));
    }
    DataPath input = DataPath.field(o, "InputPath", DataPath.Kind.PATH).orElse(DataPath.ROOT);
    Optional<Template> parameters = Optional.ofNullable(o.get("Parameters"))
        .map(n -> Templates.jsonPath(n, o.at("Parameters"), o.problems));
    Optional<Template> selector = Optional.empty();
    JsonNode rs = o.get("ResultSelector");
    if (rs != null) {
      if (!rs.isObject()) {
        o.problems.schema(o.at("ResultSelector"), "must be a JSON object");
      } else {
        selector = Optional.of(Templates.jsonPath(rs, o.at("ResultSelector"), o.problems));
      }
    }
    DataPath result = DataPath.field(o, "ResultPath", DataPath.Kind.REFERENCE).orElse(DataPath.ROOT);
    DataPath output = DataPath.field(o, "OutputPath", DataPath.Kind.PATH).orElse(DataPath.ROOT);
    return new Paths(input, parameters, selector, result, output);
  }

  /** {@code Assign}: an object whose keys are variable names. */
  static Optional<Template> assign(Obj o) {
    JsonNode node = o.get("Assign");
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      o.problems.schema(o.at("Assign"), "must be a JSON object of variable names");
      return Optional.empty();
    }
    for (String name : node.propertyNames()) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || name.equals("states")) {
        o.problems.schema(o.at("Assign") + "/" + name, "'" + name + "' is not a valid variable name");
      }
    }
    return Optional.of(Templates.jsonata(node, o.at("Assign"), o.problems));
  }
}
