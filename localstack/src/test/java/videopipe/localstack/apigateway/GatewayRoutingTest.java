package videopipe.localstack.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.localstack.apigateway.EchoApi.event;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Routes from the OpenAPI document reach the function each integration names, with the payload
 * format 2.0 event API Gateway would send; what the gateway answers itself (no route, body too
 * large, a failing function) has API Gateway's statuses and bodies.
 */
class GatewayRoutingTest {

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
  void routesEachPathAndMethodToTheFunctionItsIntegrationNames() {
    assertThat(api.call("GET", "/items").headers().firstValue("x-function")).hasValue("listItems");
    assertThat(api.call("POST", "/items").headers().firstValue("x-function")).hasValue("createItem");
    assertThat(api.call("GET", "/items/42").headers().firstValue("x-function")).hasValue("getItem");
    assertThat(api.call("DELETE", "/items/42/parts/3").headers().firstValue("x-function")).hasValue("deletePart");
  }

  @Test
  void namesTheFunctionOfALiteralLambdaArn() {
    assertThat(api.call("GET", "/items/special").headers().firstValue("x-function")).hasValue("specialItem");
  }

  @Test
  void prefersALiteralSegmentToAVariable() {
    HttpResponse<String> special = api.call("GET", "/items/special");
    assertThat(event(special).path("routeKey").asString()).isEqualTo("GET /items/special");
    assertThat(event(special).has("pathParameters")).isFalse();
  }

  @Test
  void bindsPathParametersDecoded() {
    JsonNode e = event(api.call("DELETE", "/items/a%20b/parts/7"));
    assertThat(e.path("routeKey").asString()).isEqualTo("DELETE /items/{itemId}/parts/{partNumber}");
    assertThat(e.path("rawPath").asString()).isEqualTo("/items/a%20b/parts/7");
    assertThat(e.path("pathParameters").path("itemId").asString()).isEqualTo("a b");
    assertThat(e.path("pathParameters").path("partNumber").asString()).isEqualTo("7");
  }

  @Test
  void bindsAGreedyParameterToTheRestOfThePathForAnyMethod() {
    JsonNode e = event(api.call("PUT", "/files/a/b/c.txt"));
    assertThat(e.path("routeKey").asString()).isEqualTo("ANY /files/{proxy+}");
    assertThat(e.path("pathParameters").path("proxy").asString()).isEqualTo("a/b/c.txt");
  }

  @Test
  void passesTheQueryStringRawAndDecodedWithRepeatsJoined() {
    JsonNode e = event(api.call("GET", "/items?limit=5&tag=a&tag=b%20c&empty"));
    assertThat(e.path("rawQueryString").asString()).isEqualTo("limit=5&tag=a&tag=b%20c&empty");
    assertThat(e.path("queryStringParameters").path("limit").asString()).isEqualTo("5");
    assertThat(e.path("queryStringParameters").path("tag").asString()).isEqualTo("a,b c");
    assertThat(e.path("queryStringParameters").path("empty").asString()).isEmpty();
  }

  @Test
  void leavesOutQueryParametersAndBodyWhenThereAreNone() {
    JsonNode e = event(api.call("GET", "/items"));
    assertThat(e.path("rawQueryString").asString()).isEmpty();
    assertThat(e.has("queryStringParameters")).isFalse();
    assertThat(e.has("body")).isFalse();
    assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
  }

  @Test
  void buildsThePayloadFormat2Event() {
    HttpResponse<String> response = api.send("POST", "/items", Map.of(
        "Authorization", "Bearer " + api.token("alice"),
        "Content-Type", "application/json",
        "X-Trace", "one",
        "Cookie", "a=1; b=2",
        "User-Agent", "echo-test"), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    JsonNode e = event(response);

    assertThat(e.path("version").asString()).isEqualTo("2.0");
    assertThat(e.path("routeKey").asString()).isEqualTo("POST /items");
    assertThat(e.path("rawPath").asString()).isEqualTo("/items");
    assertThat(e.path("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
    assertThat(e.path("headers").path("x-trace").asString()).isEqualTo("one");
    assertThat(e.path("headers").path("content-type").asString()).isEqualTo("application/json");
    assertThat(e.path("headers").has("cookie")).isFalse();
    assertThat(e.path("body").asString()).isEqualTo("{\"name\":\"x\"}");
    assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
    JsonNode rc = e.path("requestContext");
    assertThat(rc.path("accountId").asString()).isEqualTo("000000000000");
    assertThat(rc.path("apiId").asString()).isEqualTo("local");
    assertThat(rc.path("domainName").asString()).startsWith("127.0.0.1:");
    assertThat(rc.path("http").path("method").asString()).isEqualTo("POST");
    assertThat(rc.path("http").path("path").asString()).isEqualTo("/items");
    assertThat(rc.path("http").path("protocol").asString()).isEqualTo("HTTP/1.1");
    assertThat(rc.path("http").path("sourceIp").asString()).isEqualTo("127.0.0.1");
    assertThat(rc.path("http").path("userAgent").asString()).isEqualTo("echo-test");
    assertThat(rc.path("requestId").asString()).isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
    assertThat(rc.path("routeKey").asString()).isEqualTo("POST /items");
    assertThat(rc.path("stage").asString()).isEqualTo("$default");
    assertThat(rc.path("time").asString()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
    assertThat(rc.path("timeEpoch").isIntegralNumber()).isTrue();
  }

  @Test
  void joinsRepeatedHeadersWithCommas() {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.gateway.endpoint() + "/items"))
        .header("Authorization", "Bearer " + api.token("alice"))
        .header("X-Multi", "a").header("X-Multi", "b").GET().build();
    JsonNode e = event(send(request));
    assertThat(e.path("headers").path("x-multi").asString()).isEqualTo("a,b");
  }

  @Test
  void base64EncodesBinaryBodies() {
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    JsonNode e = event(api.send("POST", "/items", Map.of("Authorization", "Bearer " + api.token("alice"),
        "Content-Type", "application/octet-stream"), bytes));
    assertThat(e.path("isBase64Encoded").asBoolean()).isTrue();
    assertThat(java.util.Base64.getDecoder().decode(e.path("body").asString())).isEqualTo(bytes);
  }

  @Test
  void answersNotFoundForAnUnknownPathOrMethod() {
    for (HttpResponse<String> r : new HttpResponse[] {api.call("GET", "/nothing"), api.call("PATCH", "/items"),
        api.call("GET", "/items/1/parts")}) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }
  }

  @Test
  void answersNotFoundBeforeCheckingAToken() {
    assertThat(api.send("GET", "/nothing", Map.of(), null).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesABodyOverTheLimitWithoutCallingTheFunction() {
    api.overrides.put("createItem", (f, e) -> {
      throw new AssertionError("called");
    });
    try {
      HttpResponse<String> r = api.send("POST", "/items", Map.of("Authorization", "Bearer " + api.token("alice"),
          "Content-Type", "application/json"), new byte[64 * 1024 + 1]);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
    } finally {
      api.overrides.remove("createItem");
    }
  }

  @Test
  void acceptsABodyAtTheLimit() {
    HttpResponse<String> r = api.send("POST", "/items", Map.of("Authorization", "Bearer " + api.token("alice"),
        "Content-Type", "text/plain"), new byte[64 * 1024]);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void mapsTheFunctionsStatusHeadersCookiesAndBody() {
    api.overrides.put("getItem", (f, e) -> ("{\"statusCode\":201,\"headers\":{\"X-Echo\":\"yes\",\"content-type\":"
        + "\"text/plain\"},\"cookies\":[\"s=1; Path=/\"],\"body\":\"made\",\"isBase64Encoded\":false}")
        .getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = api.call("GET", "/items/1");
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.headers().firstValue("x-echo")).hasValue("yes");
      assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
      assertThat(r.headers().allValues("set-cookie")).containsExactly("s=1; Path=/");
      assertThat(r.body()).isEqualTo("made");
    } finally {
      api.overrides.remove("getItem");
    }
  }

  @Test
  void decodesABase64Body() {
    api.overrides.put("getItem", (f, e) -> "{\"statusCode\":200,\"body\":\"aGk=\",\"isBase64Encoded\":true}"
        .getBytes(StandardCharsets.UTF_8));
    try {
      assertThat(api.call("GET", "/items/1").body()).isEqualTo("hi");
    } finally {
      api.overrides.remove("getItem");
    }
  }

  @Test
  void sendsAnAnswerWithoutStatusCodeAsTheJsonBodyOfA200() {
    api.overrides.put("getItem", (f, e) -> "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = api.call("GET", "/items/1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(r.body()).isEqualTo("{\"id\":1}");
    } finally {
      api.overrides.remove("getItem");
    }
  }

  @Test
  void answersInternalServerErrorWhenTheFunctionFailsOrAnswersNonsense() {
    api.overrides.put("getItem", (f, e) -> {
      throw new IllegalStateException("boom");
    });
    api.overrides.put("listItems", (f, e) -> "not json".getBytes(StandardCharsets.UTF_8));
    try {
      for (HttpResponse<String> r : new HttpResponse[] {api.call("GET", "/items/1"), api.call("GET", "/items")}) {
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
      }
    } finally {
      api.overrides.clear();
    }
  }

  @Test
  void servesTheIssuersKeys() {
    JsonNode jwks = EchoApi.JSON.readTree(api.send("GET", "/.well-known/jwks.json", Map.of(), null).body());
    assertThat(jwks.path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
    assertThat(jwks.path("keys").get(0).has("d")).isFalse();
  }

  private static HttpResponse<String> send(java.net.http.HttpRequest request) {
    try {
      return EchoApi.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
