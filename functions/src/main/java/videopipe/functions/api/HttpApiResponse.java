package videopipe.functions.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** An HTTP API response, payload format 2.0, as API Gateway maps it back to HTTP. */
public record HttpApiResponse(int statusCode, Map<String, String> headers, String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

  static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json",
      "cache-control", "no-store");

  static HttpApiResponse json(int status, String body) {
    return new HttpApiResponse(status, JSON_HEADERS, body, false);
  }

  static HttpApiResponse noContent() {
    return new HttpApiResponse(204, Map.of("cache-control", "no-store"), null, false);
  }
}
