package videopipe.localstack.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS as an HTTP API applies its {@code x-amazon-apigateway-cors}: the gateway answers preflights
 * itself (a browser sends no token with them, so they must never reach the authorizer), and marks
 * responses for allowed origins only, with the origins the stack configures.
 */
class CorsTest {

  private static EchoApi api;

  @BeforeAll
  static void start() throws Exception {
    api = EchoApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void answersAPreflightWithoutATokenOrTheFunction() {
    api.overrides.put("createItem", (f, e) -> {
      throw new AssertionError("called");
    });
    try {
      HttpResponse<String> r = api.send("OPTIONS", "/items", Map.of("Origin", EchoApi.ORIGIN,
          "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"), null);
      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(EchoApi.ORIGIN);
      assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST,DELETE,OPTIONS");
      assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("authorization,content-type");
      assertThat(r.headers().firstValue("access-control-max-age")).hasValue("300");
    } finally {
      api.overrides.remove("createItem");
    }
  }

  @Test
  void givesAnotherOriginsPreflightNoCorsHeaders() {
    HttpResponse<String> r = api.send("OPTIONS", "/items", Map.of("Origin", "https://evil.example.com",
        "Access-Control-Request-Method", "POST"), null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void givesAPreflightForAMethodOrHeaderNotAllowedNoCorsHeaders() {
    assertThat(api.send("OPTIONS", "/items", Map.of("Origin", EchoApi.ORIGIN, "Access-Control-Request-Method",
        "PUT"), null).headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(api.send("OPTIONS", "/items", Map.of("Origin", EchoApi.ORIGIN, "Access-Control-Request-Method",
        "POST", "Access-Control-Request-Headers", "x-secret"), null).headers()
        .firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void marksResponsesToAnAllowedOrigin() {
    HttpResponse<String> r = api.send("GET", "/items", Map.of("Origin", EchoApi.ORIGIN,
        "Authorization", "Bearer " + api.token("alice")), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(EchoApi.ORIGIN);
    assertThat(r.headers().firstValue("access-control-expose-headers")).hasValue("x-echo");
  }

  @Test
  void marksTheGatewaysOwnErrorsSoBrowsersCanReadThem() {
    HttpResponse<String> r = api.send("GET", "/items", Map.of("Origin", EchoApi.ORIGIN), null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(EchoApi.ORIGIN);
  }

  @Test
  void replacesCorsHeadersTheFunctionSets() {
    api.overrides.put("getItem", (f, e) -> ("{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"*\"},"
        + "\"body\":\"x\"}").getBytes());
    try {
      HttpResponse<String> r = api.send("GET", "/items/1", Map.of("Origin", "https://evil.example.com",
          "Authorization", "Bearer " + api.token("alice")), null);
      assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    } finally {
      api.overrides.remove("getItem");
    }
  }
}
