package videopipe.statemachines.asl;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as the engine holds it at run time: plain {@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean} and {@code null}, the shape both JsonPath and JSONata read.
 * Values are never mutated once made; whatever changes one builds a copy.
 */
public final class Json {

  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  public static Object parse(String json) {
    return MAPPER.readValue(json, Object.class);
  }

  public static JsonNode tree(String json) {
    return MAPPER.readTree(json);
  }

  public static Object value(JsonNode node) {
    return MAPPER.treeToValue(node, Object.class);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + value, e);
    }
  }
}
