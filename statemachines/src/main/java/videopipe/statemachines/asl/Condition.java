package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A Choice rule's test: JSONPath comparisons combined with And/Or/Not, or one JSONata Condition. */
public sealed interface Condition {

  record And(List<Condition> all) implements Condition {}

  record Or(List<Condition> any) implements Condition {}

  record Not(Condition condition) implements Condition {}

  /** {@code Variable} compared with a literal {@code value} or, for a {@code …Path} operator, {@code valuePath}. */
  record Compare(DataPath variable, Comparison comparison, Object value, DataPath valuePath) implements Condition {}

  record Expression(Template.Expression expression) implements Condition {}

  /** A JSONPath rule object, top-level ({@code Next} allowed) or nested. */
  static Optional<Condition> jsonPath(Obj o, boolean topLevel) {
    if (o.has("And") || o.has("Or")) {
      String op = o.has("And") ? "And" : "Or";
      o.allowOnly(topLevel ? Set.of(op, "Next", "Comment") : Set.of(op, "Comment"), Set.of("Assign"), "in this Choice rule");
      List<Condition> parts = new ArrayList<>();
      List<Obj.Located> items = o.array(op);
      if (items.isEmpty()) {
        o.problems.schema(o.at(op), "must hold at least one rule");
      }
      for (Obj.Located item : items) {
        Obj.of(item.node(), item.path(), o.problems).flatMap(c -> jsonPath(c, false)).ifPresent(parts::add);
      }
      return Optional.of(op.equals("And") ? new And(List.copyOf(parts)) : new Or(List.copyOf(parts)));
    }
    if (o.has("Not")) {
      o.allowOnly(topLevel ? Set.of("Not", "Next", "Comment") : Set.of("Not", "Comment"), Set.of("Assign"), "in this Choice rule");
      return o.object("Not").flatMap(c -> jsonPath(c, false)).map(Not::new);
    }
    List<String> operators = new ArrayList<>();
    for (String field : o.node.propertyNames()) {
      if (!Set.of("Variable", "Next", "Comment", "Assign").contains(field)) {
        operators.add(field);
      }
    }
    if (operators.size() != 1) {
      o.problems.schema(o.path, "a Choice rule needs exactly one comparison operator (or And, Or, Not); found " + operators);
      return Optional.empty();
    }
    String field = operators.get(0);
    boolean pathForm = field.endsWith("Path") && Comparison.byField(field).isEmpty();
    Optional<Comparison> comparison = Comparison.byField(pathForm ? field.substring(0, field.length() - 4) : field);
    if (comparison.isEmpty() || (pathForm && !comparison.get().hasPathForm())) {
      o.problems.schema(o.at(field), "'" + field + "' is not a comparison operator");
      return Optional.empty();
    }
    o.allowOnly(topLevel ? Set.of("Variable", field, "Next", "Comment") : Set.of("Variable", field, "Comment"),
        Set.of("Assign"), "in this Choice rule");
    Optional<DataPath> variable = o.requiredString("Variable")
        .flatMap(v -> DataPath.parse(v, o.at("Variable"), DataPath.Kind.PATH, o.problems));
    Comparison c = comparison.get();
    JsonNode operand = o.get(field);
    if (pathForm) {
      Optional<DataPath> valuePath = o.string(field).flatMap(v -> DataPath.parse(v, o.at(field), DataPath.Kind.PATH, o.problems));
      if (variable.isEmpty() || valuePath.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Compare(variable.get(), c, null, valuePath.get()));
    }
    boolean ok = switch (c.kind()) {
      case STRING -> operand.isString();
      case NUMERIC -> operand.isNumber();
      case BOOLEAN, TEST -> operand.isBoolean();
      case TIMESTAMP -> operand.isString() && WaitState.timestamp(operand.stringValue()).isPresent();
    };
    if (!ok) {
      String expected = switch (c.kind()) {
        case STRING -> "a string";
        case NUMERIC -> "a number";
        case BOOLEAN, TEST -> "a boolean";
        case TIMESTAMP -> "an RFC 3339 timestamp";
      };
      o.problems.schema(o.at(field), "'" + field + "' needs " + expected);
      return Optional.empty();
    }
    return variable.map(v -> new Compare(v, c, Json.value(operand), null));
  }
}
