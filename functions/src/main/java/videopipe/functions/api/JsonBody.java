package videopipe.functions.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies strictly, field by field, so that every refusal names the field: a JSON
 * tree rather than data binding, which would report "cannot deserialize" for a string where a
 * number belongs, and silently accept duplicate keys (the last one winning) or trailing garbage.
 */
final class JsonBody {

  static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonBody() {}

  /** The body as a JSON object, at most {@code maxBytes} long once decoded. */
  static JsonNode object(HttpApiRequest request, int maxBytes) {
    byte[] bytes = bytes(request);
    if (bytes.length > maxBytes) {
      throw ApiError.BODY_TOO_LARGE.because("the body is " + bytes.length + " bytes; at most " + maxBytes
          + " are accepted here");
    }
    if (bytes.length == 0) {
      throw ApiError.MALFORMED_JSON.because("the request has no body; send a JSON object");
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JacksonException e) {
      throw ApiError.MALFORMED_JSON.because("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiError.MALFORMED_JSON.because("the body must be a JSON object");
    }
    return node;
  }

  private static byte[] bytes(HttpApiRequest request) {
    if (request.body() == null) {
      return new byte[0];
    }
    if (!request.isBase64Encoded()) {
      return request.body().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(request.body());
    } catch (IllegalArgumentException e) {
      throw ApiError.MALFORMED_JSON.because("the body is marked base64 but is not");
    }
  }

  /** Refuses any field of {@code object} not in {@code allowed}, naming the first. */
  static void onlyFields(JsonNode object, String path, Set<String> allowed) {
    for (String name : object.propertyNames()) {
      if (!allowed.contains(name)) {
        throw ApiError.UNKNOWN_FIELD.because("unknown field '" + name + "'; allowed: " + String.join(", ",
            allowed.stream().sorted().toList()), path + name);
      }
    }
  }

  static JsonNode required(JsonNode object, String name, String path) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      throw ApiError.MISSING_FIELD.because("'" + name + "' is required", path + name);
    }
    return value;
  }

  static String string(JsonNode object, String name, String path) {
    JsonNode value = required(object, name, path);
    if (!value.isString()) {
      throw ApiError.INVALID_FIELD.because("'" + name + "' must be a string", path + name);
    }
    return value.asString();
  }

  static long integer(JsonNode object, String name, String path) {
    JsonNode value = required(object, name, path);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiError.INVALID_FIELD.because("'" + name + "' must be a whole number", path + name);
    }
    return value.longValue();
  }
}
