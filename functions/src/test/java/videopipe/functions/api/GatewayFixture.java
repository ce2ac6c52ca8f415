package videopipe.functions.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import videopipe.functions.FunctionsApplication;
import videopipe.functions.testing.LambdaContext;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.LambdaIntegration;
import videopipe.localstack.apigateway.OpenApiDocument;
import videopipe.localstack.junit.LocalAws;

/**
 * The upload API as a creator's client meets it: the local HTTP API gateway, reading the repo's
 * own OpenAPI document, in front of the real route beans, each run by Spring Cloud Function's
 * {@code FunctionInvoker} as Lambda runs it (one invoker per function, one request at a time, like
 * one warm Lambda instance), against S3Proxy and dynalite.
 */
final class GatewayFixture implements AutoCloseable {

  static final String ORIGIN = "https://studio.example.com";

  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, FunctionInvoker> invokers = new ConcurrentHashMap<>();
  final ApiFixture api;
  final HttpApiGateway gateway;

  GatewayFixture(LocalAws aws) throws IOException {
    this.api = ApiFixture.start(aws);
    properties.put("MAIN_CLASS", FunctionsApplication.class.getName());
    properties.put("CATALOG_TABLE", aws.tableName());
    properties.put("EVENT_BUS_NAME", "unused");
    properties.put("UPLOAD_BUCKET", aws.bucket());
    properties.put("S3_FORCE_PATH_STYLE", "true");
    properties.put("SINGLE_PUT_MAX_BYTES", Long.toString(1024 * 1024));
    properties.put("MAX_UPLOAD_BYTES", Long.toString(64L * 1024 * 1024));
    properties.forEach(System::setProperty);
    OpenApiDocument document;
    try (InputStream in = FunctionsApplication.class.getResourceAsStream("/api/openapi.yaml")) {
      document = OpenApiDocument.read(in);
    }
    this.gateway = HttpApiGateway.start(HttpApiGateway.Config.defaults().withAllowedOrigins(List.of(ORIGIN)),
        document, integration());
  }

  private LambdaIntegration integration() {
    return (function, event) -> {
      FunctionInvoker invoker = invokers.computeIfAbsent(function, FunctionInvoker::new);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      synchronized (invoker) {
        invoker.handleRequest(new ByteArrayInputStream(event), out, new LambdaContext(function));
      }
      return out.toByteArray();
    };
  }

  String token(String sub) {
    return gateway.mintToken(sub, Duration.ofMinutes(5));
  }

  Reply send(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.endpoint() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = ApiFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body().isEmpty() ? null : ApiFixture.JSON.readTree(r.body()), r);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  Reply postJson(String path, String token, String json) {
    return send("POST", path, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Reply get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  @Override
  public void close() {
    gateway.close();
    properties.keySet().forEach(System::clearProperty);
  }

  record Reply(int status, JsonNode body, HttpResponse<String> http) {
    String error() {
      return body.path("error").asString();
    }

    String field() {
      return body.path("field").asString(null);
    }

    String message() {
      return body.path("message").asString();
    }
  }
}
