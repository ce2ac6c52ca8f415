package videopipe.localstack.apigateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway in front of a function that answers with the event it received (as the JSON body, with
 * the function's name in {@code x-function}), so that tests see exactly what a function would get.
 * A function can be replaced per test with any answer, or a failure.
 */
final class EchoApi implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String ORIGIN = "https://app.example.com";

  final HttpApiGateway gateway;
  final Map<String, LambdaIntegration> overrides = new ConcurrentHashMap<>();

  EchoApi(HttpApiGateway.Config config) throws IOException {
    OpenApiDocument document;
    try (InputStream in = EchoApi.class.getResourceAsStream("/apigateway/echo-api.yaml")) {
      document = OpenApiDocument.read(in);
    }
    this.gateway = HttpApiGateway.start(config, document, (function, event) -> {
      LambdaIntegration override = overrides.get(function);
      if (override != null) {
        return override.invoke(function, event);
      }
      return JSON.writeValueAsBytes(Map.of("statusCode", 200,
          "headers", Map.of("content-type", "application/json", "x-function", function),
          "body", new String(event, java.nio.charset.StandardCharsets.UTF_8)));
    });
  }

  static EchoApi start() throws IOException {
    return new EchoApi(HttpApiGateway.Config.defaults().withAllowedOrigins(List.of(ORIGIN))
        .withMaxBodyBytes(64 * 1024));
  }

  String token(String sub) {
    return gateway.mintToken(sub, Duration.ofMinutes(5));
  }

  HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.endpoint() + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An authorized call as {@code alice}. */
  HttpResponse<String> call(String method, String pathAndQuery) {
    return send(method, pathAndQuery, Map.of("Authorization", "Bearer " + token("alice")), null);
  }

  /** The event the function received. */
  static JsonNode event(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    gateway.close();
  }
}
