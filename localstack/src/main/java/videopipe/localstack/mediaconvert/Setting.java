package videopipe.localstack.mediaconvert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One object of a job's settings, read field by field. Every field must be read (understood) or
 * explicitly ignored before {@link #done()}, which rejects the first one left over: a setting the
 * local MediaConvert does not implement fails the job by name instead of being silently dropped.
 */
final class Setting {

  /** A job setting outside the supported subset; its message names the setting and its value. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String path, JsonNode value) {
      super("unsupported setting: " + path + " = " + show(value));
    }

    Unsupported(String path, String detail) {
      super("unsupported setting: " + path + " (" + detail + ")");
    }

    private static String show(JsonNode value) {
      if (value == null) {
        return "null";
      }
      String s = value.isString() ? value.asString() : value.toString();
      return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
  }

  private final JsonNode node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  Setting(JsonNode node, String path) {
    this.node = node;
    this.path = path;
    if (!node.isObject()) {
      throw new Unsupported(path, node);
    }
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** The nested object, or null when absent. */
  Setting object(String field) {
    read.add(field);
    return has(field) ? new Setting(node.get(field), path(field)) : null;
  }

  List<Setting> list(String field) {
    read.add(field);
    List<Setting> out = new ArrayList<>();
    if (!has(field)) {
      return out;
    }
    JsonNode v = node.get(field);
    if (!v.isArray()) {
      throw new Unsupported(path(field), v);
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new Setting(v.get(i), path(field) + "[" + i + "]"));
    }
    return out;
  }

  String string(String field) {
    read.add(field);
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isString()) {
      throw new Unsupported(path(field), v);
    }
    return v.asString();
  }

  Integer integer(String field) {
    read.add(field);
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber()) {
      throw new Unsupported(path(field), v);
    }
    return v.asInt();
  }

  Double number(String field) {
    read.add(field);
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isNumber() || v.asDouble() <= 0) {
      throw new Unsupported(path(field), v);
    }
    return v.asDouble();
  }

  /** A positive integer, or {@code dflt} when absent. */
  Integer positive(String field, Integer dflt) {
    Integer v = integer(field);
    if (v == null) {
      return dflt;
    }
    if (v <= 0) {
      throw new Unsupported(path(field), node.get(field));
    }
    return v;
  }

  /** An enum value among {@code supported}, or {@code dflt} when absent. */
  String oneOf(String field, String dflt, String... supported) {
    String v = string(field);
    if (v == null) {
      return dflt;
    }
    if (!Arrays.asList(supported).contains(v)) {
      throw new Unsupported(path(field), node.get(field));
    }
    return v;
  }

  /**
   * Accepts a field without acting on it, when it cannot change the media we write (a transport
   * stream PID, a packaging detail): with {@code values} given, only those values are accepted.
   */
  void ignore(String field, String... values) {
    read.add(field);
    if (values.length > 0 && has(field) && !Arrays.asList(values).contains(node.get(field).asString())) {
      throw new Unsupported(path(field), node.get(field));
    }
  }

  Unsupported unsupported(String field) {
    return new Unsupported(path(field), node.get(field));
  }

  /** Fails on the first field neither read nor ignored. */
  void done() {
    for (var e : node.properties()) {
      if (!read.contains(e.getKey()) && e.getValue() != null && !e.getValue().isNull()) {
        throw new Unsupported(path(e.getKey()), e.getValue());
      }
    }
  }
}
