package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object of a definition being read, with its location. Every reader reports a problem
 * and carries on instead of throwing, so one parse finds everything wrong.
 */
final class Obj {

  final JsonNode node;
  final String path;
  final Problems problems;

  private Obj(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  static Optional<Obj> of(JsonNode node, String path, Problems problems) {
    if (node == null || !node.isObject()) {
      problems.schema(path, "must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(new Obj(node, path, problems));
  }

  String at(String field) {
    return path + "/" + field.replace("~", "~0").replace("/", "~1");
  }

  boolean has(String field) {
    return node.has(field);
  }

  JsonNode get(String field) {
    return node.get(field);
  }

  /** Refuses every field not in {@code allowed}; names the ones AWS knows but we do not run yet. */
  void allowOnly(Set<String> allowed, Set<String> notYetSupported, String where) {
    for (String field : new TreeSet<>(node.propertyNames())) {
      if (notYetSupported.contains(field)) {
        problems.unsupported(at(field), "field '" + field + "' is not supported by this engine yet");
      } else if (!allowed.contains(field)) {
        problems.schema(at(field), "field '" + field + "' is not supported " + where);
      }
    }
  }

  Optional<String> string(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isString()) {
      problems.schema(at(field), "must be a string");
      return Optional.empty();
    }
    return Optional.of(value.stringValue());
  }

  Optional<String> requiredString(String field) {
    if (!node.has(field)) {
      problems.schema(path, "missing required field '" + field + "'");
      return Optional.empty();
    }
    return string(field);
  }

  Optional<Long> integer(String field, long min, long max) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      problems.schema(at(field), "must be an integer");
      return Optional.empty();
    }
    long n = value.longValue();
    if (n < min || n > max) {
      problems.schema(at(field), "must be between " + min + " and " + max + ", was " + n);
      return Optional.empty();
    }
    return Optional.of(n);
  }

  Optional<Double> number(String field, double min, double max) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isNumber()) {
      problems.schema(at(field), "must be a number");
      return Optional.empty();
    }
    double n = value.doubleValue();
    if (n < min || n > max) {
      problems.schema(at(field), "must be between " + min + " and " + max + ", was " + value);
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /** The elements of an array field, each with its location; empty when absent or not an array. */
  List<Located> array(String field) {
    JsonNode value = node.get(field);
    List<Located> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!value.isArray()) {
      problems.schema(at(field), "must be an array");
      return out;
    }
    for (int i = 0; i < value.size(); i++) {
      out.add(new Located(value.get(i), at(field) + "/" + i));
    }
    return out;
  }

  Optional<Obj> object(String field) {
    JsonNode value = node.get(field);
    return value == null ? Optional.empty() : of(value, at(field), problems);
  }

  record Located(JsonNode node, String path) {}
}
