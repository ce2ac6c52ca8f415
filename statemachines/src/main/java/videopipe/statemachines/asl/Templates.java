package videopipe.statemachines.asl;

import com.dashjoin.jsonata.Jsonata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads templates in either query language. */
final class Templates {

  private static final Pattern JSONATA = Pattern.compile("^\\{%(.*)%\\}$", Pattern.DOTALL);

  private Templates() {}

  /** A JSONPath payload template: object keys ending in {@code .$} hold paths. */
  static Template jsonPath(JsonNode node, String location, Problems problems) {
    if (node.isObject()) {
      List<Template.Field> fields = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        String at = location + "/" + key;
        if (key.endsWith(".$")) {
          String name = key.substring(0, key.length() - 2);
          if (!e.getValue().isString()) {
            problems.schema(at, "the value of '" + key + "' must be a JSONPath or an intrinsic function");
            continue;
          }
          String value = e.getValue().stringValue();
          if (value.startsWith("States.")) {
            Intrinsic.parse(value, at, problems)
                .ifPresent(c -> fields.add(new Template.Field(name, new Template.IntrinsicValue(c))));
            continue;
          }
          DataPath.parse(value, at, DataPath.Kind.PATH, problems)
              .ifPresent(p -> fields.add(new Template.Field(name, new Template.PathValue(p))));
        } else {
          fields.add(new Template.Field(key, jsonPath(e.getValue(), at, problems)));
        }
      }
      return fold(new Template.ObjectTemplate(List.copyOf(fields)), node);
    }
    if (node.isArray()) {
      List<Template> items = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        items.add(jsonPath(node.get(i), location + "/" + i, problems));
      }
      return fold(new Template.ArrayTemplate(List.copyOf(items)), node);
    }
    return new Template.Literal(Json.value(node));
  }

  /** A JSONata field: any string written {@code {% expr %}}, at any depth, is an expression. */
  static Template jsonata(JsonNode node, String location, Problems problems) {
    if (node.isString()) {
      return expression(node.stringValue(), location, problems)
          .<Template>map(x -> x)
          .orElseGet(() -> new Template.Literal(node.stringValue()));
    }
    if (node.isObject()) {
      List<Template.Field> fields = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        fields.add(new Template.Field(e.getKey(), jsonata(e.getValue(), location + "/" + e.getKey(), problems)));
      }
      return fold(new Template.ObjectTemplate(List.copyOf(fields)), node);
    }
    if (node.isArray()) {
      List<Template> items = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        items.add(jsonata(node.get(i), location + "/" + i, problems));
      }
      return fold(new Template.ArrayTemplate(List.copyOf(items)), node);
    }
    return new Template.Literal(Json.value(node));
  }

  /** {@code {% expr %}} compiled; empty for a plain string; a problem when it does not compile. */
  static Optional<Template.Expression> expression(String text, String location, Problems problems) {
    // AWS: the string must start with {% and end with %}, no spaces around; otherwise it is a literal.
    Matcher m = JSONATA.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String source = m.group(1);
    if (source.isBlank()) {
      problems.schema(location, "empty JSONata expression");
      return Optional.empty();
    }
    try {
      Jsonata compiled = Jsonata.jsonata(source);
      // Keep JSON null apart from "undefined" (Java null): AWS refuses an expression that yields nothing.
      compiled.setOutputConvertNulls(false);
      return Optional.of(new Template.Expression(source, compiled, location));
    } catch (RuntimeException e) {
      problems.schema(location, "invalid JSONata expression '" + source.strip() + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Template fold(Template t, JsonNode node) {
    return isStatic(t) ? new Template.Literal(Json.value(node)) : t;
  }

  private static boolean isStatic(Template t) {
    if (t instanceof Template.ObjectTemplate o) {
      return o.fields().stream().allMatch(f -> isStatic(f.value()));
    }
    if (t instanceof Template.ArrayTemplate a) {
      return a.items().stream().allMatch(Templates::isStatic);
    }
    return t instanceof Template.Literal;
  }
}
