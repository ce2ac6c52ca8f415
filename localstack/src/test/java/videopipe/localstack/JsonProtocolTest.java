package videopipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The wire the local JSON-protocol services share, with a service of two operations. */
class JsonProtocolTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  enum Code implements JsonProtocol.Code {
    NoSuchThing(404), UnknownOperationException(400), SerializationException(400), InternalFailure(500);

    private final int status;

    Code(int status) {
      this.status = status;
    }

    @Override
    public int status() {
      return status;
    }
  }

  static final class NoSuchThing extends RuntimeException implements JsonProtocol.Refusal {
    NoSuchThing(String message) {
      super(message);
    }

    @Override
    public Code code() {
      return Code.NoSuchThing;
    }
  }

  private static HttpServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    JsonProtocol.Service service = new JsonProtocol.Service("Things", "Things_2026.", "application/x-amz-json-1.0",
        Code.UnknownOperationException, Code.SerializationException, Code.InternalFailure);
    server = Loopback.serve(0, "json-protocol-test", 2, new JsonProtocol(service, JSON, (operation, request) ->
        switch (operation) {
          case "Echo" -> request;
          case "Find" -> throw new NoSuchThing("no thing named " + request.path("Name").asString());
          case "Crash" -> throw new IllegalStateException("a bug");
          default -> throw new NoSuchThing("unexpected " + operation);
        }));
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpResponse<String> call(String method, String target, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Loopback.endpoint(server) + "/"))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (target != null) {
      b.header("X-Amz-Target", target);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  @Test
  void answersAnOperationWithItsResultAndARequestId() throws Exception {
    HttpResponse<String> r = call("POST", "Things_2026.Echo", "{\"a\":1}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("a").asInt()).isEqualTo(1);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
  }

  @Test
  void takesAnEmptyBodyAsAnEmptyRequest() throws Exception {
    HttpResponse<String> r = call("POST", "Things_2026.Echo", "");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
  }

  @Test
  void answersARefusalWithItsCodeStatusAndMessage() throws Exception {
    HttpResponse<String> r = call("POST", "Things_2026.Find", "{\"Name\":\"x\"}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r).path("__type").asString()).isEqualTo("NoSuchThing");
    assertThat(error(r).path("message").asString()).isEqualTo("no thing named x");
  }

  @Test
  void refusesAForeignOrMissingTargetAndOtherMethodsThanPost() throws Exception {
    for (HttpResponse<String> r : new HttpResponse[] {call("POST", "AWSEvents.PutEvents", "{}"),
        call("POST", null, "{}"), call("PUT", "Things_2026.Echo", "{}")}) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(error(r).path("__type").asString()).isEqualTo("UnknownOperationException");
    }
    assertThat(error(call("POST", "AWSEvents.PutEvents", "{}")).path("message").asString())
        .contains("AWSEvents.PutEvents");
  }

  @Test
  void refusesABodyThatIsNotAJsonObject() throws Exception {
    for (String body : new String[] {"not json", "[1,2]", "\"text\"", "{\"cut\":"}) {
      HttpResponse<String> r = call("POST", "Things_2026.Echo", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(error(r).path("__type").asString()).isEqualTo("SerializationException");
    }
  }

  @Test
  void answersAFaultOfItsOwnAsTheServicesInternalError() throws Exception {
    HttpResponse<String> r = call("POST", "Things_2026.Crash", "{}");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(error(r).path("__type").asString()).isEqualTo("InternalFailure");
    assertThat(error(r).path("message").asString()).contains("a bug");
  }
}
