package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.DeadLetterQueue;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.Invocation;
import videopipe.localstack.LocalClients;

/**
 * The fault-injection switch: a chosen function fails as it would if it threw (the same payload,
 * the same error name through Step Functions) or as Lambda itself refusing the call, for the next
 * N invocations or until cleared, from Java or over HTTP, so an end-to-end test can rehearse a
 * transient and a permanent failure.
 */
class FaultInjectionTest {

  private static final String TRANSIENT = "videopipe.functions.TransientFailure";

  @TempDir
  static Path dir;
  private static LocalLambda lambda;
  private static LambdaServer server;
  private static LambdaClient client;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir.resolve("jar")), "us-east-1", "000000000000");
    lambda.asyncDelays(new AsyncDelays(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10),
        Duration.ofMillis(10)));
    lambda.deployAll(Map.of("CATALOG_TABLE", "videos"));
    server = LambdaServer.start(0, lambda);
    client = LocalClients.configured(LambdaClient.builder(), server.endpoint())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))) // see the 429 itself, not the SDK's retry
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    lambda.close();
  }

  private static LocalLambda.Result invoke(String function, String event) {
    return lambda.invoke(function, event.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode payload(LocalLambda.Result r) {
    return Json.tree(new String(r.payload(), StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void failsTheNextNInvocationsAsTheFunctionThrowingWouldThenRunsItAgain() {
    lambda.deploy("echoNext", lambda.manifest().function("echo"), Map.of());
    lambda.faults().failNext("echoNext", 2, TRANSIENT, "injected");

    for (int i = 0; i < 2; i++) {
      LocalLambda.Result r = invoke("echoNext", "{\"i\":" + i + "}");
      assertThat(r.functionError()).isEqualTo("Unhandled");
      assertThat(payload(r).path("errorType").asString()).isEqualTo(TRANSIENT);
      assertThat(payload(r).path("errorMessage").asString()).isEqualTo("injected");
    }
    LocalLambda.Result third = invoke("echoNext", "{\"i\":2}");

    assertThat(third.failed()).isFalse();
    assertThat(payload(third).path("i").asInt()).isEqualTo(2);
    assertThat(lambda.faults().get("echoNext")).isNull();
  }

  @Test
  void failsEveryInvocationUntilCleared() {
    lambda.deploy("echoUntil", lambda.manifest().function("echo"), Map.of());
    lambda.faults().failUntilCleared("arn:aws:lambda:us-east-1:000000000000:function:echoUntil", TRANSIENT, "down");

    for (int i = 0; i < 5; i++) {
      assertThat(invoke("echoUntil", "{}").failed()).isTrue();
    }
    assertThat(lambda.faults().get("echoUntil").injected()).isEqualTo(5);
    lambda.faults().clear("echoUntil");

    assertThat(invoke("echoUntil", "{}").failed()).isFalse();
  }

  @Test
  void givesStepFunctionsTheSameErrorNameAsARealThrow() throws Exception {
    lambda.deploy("echoTask", lambda.manifest().function("echo"), Map.of());
    lambda.faults().failNext("echoTask", 1, TRANSIENT, "injected");

    Invocation first = lambda.taskInvoker().invoke("echoTask", Map.of("a", 1)).toCompletableFuture().get(60, TimeUnit.SECONDS);
    Invocation real = lambda.taskInvoker().invoke("fail", Map.of("a", 1)).toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertThat(first).isInstanceOfSatisfying(Invocation.Failed.class, f -> {
      assertThat(f.error()).isEqualTo(TRANSIENT);
      assertThat(Json.tree(f.cause()).path("errorMessage").asString()).isEqualTo("injected");
    });
    assertThat(real).isInstanceOfSatisfying(Invocation.Failed.class,
        f -> assertThat(f.error()).isEqualTo("java.lang.IllegalArgumentException"));
  }

  @Test
  void answersAnInjectedServiceErrorAsLambdaItself() throws Exception {
    lambda.deploy("echoThrottled", lambda.manifest().function("echo"), Map.of());
    lambda.faults().serviceErrorNext("echoThrottled", 1, LambdaException.Code.TooManyRequestsException, null);

    Invocation throttled = lambda.taskInvoker().invoke("echoThrottled", Map.of()).toCompletableFuture()
        .get(60, TimeUnit.SECONDS);

    assertThat(throttled).isInstanceOfSatisfying(Invocation.Failed.class,
        f -> assertThat(f.error()).isEqualTo("Lambda.TooManyRequestsException"));
    assertThat(invoke("echoThrottled", "{}").failed()).isFalse();
  }

  @Test
  void failsEachAsynchronousAttemptSoTheEventEndsInTheOnFailureQueue() throws Exception {
    Path marks = dir.resolve("markInjected.marks");
    lambda.deploy("markInjected", lambda.manifest().function("mark"), Map.of("MARK_FILE", marks.toString()));
    DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markInjected-dlq");
    lambda.putFunctionEventInvokeConfig("markInjected", EventInvokeConfig.DEFAULT.withOnFailure(dlq));
    lambda.faults().failNext("markInjected", 3, TRANSIENT, "injected");

    lambda.invokeAsync("markInjected", "{\"videoId\":\"v7\"}".getBytes(StandardCharsets.UTF_8));

    JsonNode record = Json.tree(dlq.await(1, 60_000).get(0).body());
    assertThat(record.path("responsePayload").path("errorType").asString()).isEqualTo(TRANSIENT);
    assertThat(record.path("requestPayload").path("videoId").asString()).isEqualTo("v7");
    assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(Files.exists(marks)).isFalse();
  }

  @Test
  void refusesAFaultForAFunctionThatIsNotDeployed() {
    assertThatThrownBy(() -> lambda.faults().failNext("noSuchFunction", 1, TRANSIENT, "x"))
        .isInstanceOfSatisfying(LambdaException.class,
            e -> assertThat(e.code).isEqualTo(LambdaException.Code.ResourceNotFoundException));
    assertThatThrownBy(() -> lambda.faults().failNext("echo", 0, TRANSIENT, "x"))
        .hasMessageContaining("count must be at least 1");
  }

  @Test
  void setsAFunctionErrorOverHttpThatTheInvokeApiAnswers() throws Exception {
    lambda.deploy("echoHttp", lambda.manifest().function("echo"), Map.of());

    HttpResponse<String> set = send("POST", "/_videopipe/faults/echoHttp",
        "{\"errorType\":\"" + TRANSIENT + "\",\"errorMessage\":\"over http\",\"count\":1}");
    InvokeResponse failed = client.invoke(b -> b.functionName("echoHttp").payload(SdkBytes.fromUtf8String("{}")));
    InvokeResponse ok = client.invoke(b -> b.functionName("echoHttp").payload(SdkBytes.fromUtf8String("{\"b\":1}")));

    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(Json.tree(set.body()).path("count").asInt()).isEqualTo(1);
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    assertThat(Json.tree(failed.payload().asUtf8String()).path("errorType").asString()).isEqualTo(TRANSIENT);
    assertThat(ok.functionError()).isNull();
    assertThat(ok.payload().asUtf8String()).isEqualTo("{\"b\":1}");
  }

  @Test
  void setsListsAndClearsAServiceErrorOverHttp() throws Exception {
    lambda.deploy("echoDown", lambda.manifest().function("echo"), Map.of());

    assertThat(send("POST", "/_videopipe/faults/echoDown", "{\"serviceError\":\"TooManyRequestsException\"}").statusCode())
        .isEqualTo(200);
    assertThatThrownBy(() -> client.invoke(b -> b.functionName("echoDown").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOf(TooManyRequestsException.class);
    JsonNode listed = Json.tree(send("GET", "/_videopipe/faults", null).body());
    assertThat(listed.path("faults").valueStream().filter(f -> f.path("function").asString().equals("echoDown")))
        .singleElement().satisfies(f -> {
          assertThat(f.path("serviceError").asString()).isEqualTo("TooManyRequestsException");
          assertThat(f.path("count").isNull()).isTrue();
          assertThat(f.path("injected").asInt()).isEqualTo(1);
        });

    assertThat(send("DELETE", "/_videopipe/faults/echoDown", null).statusCode()).isEqualTo(204);
    assertThat(client.invoke(b -> b.functionName("echoDown").payload(SdkBytes.fromUtf8String("{}"))).functionError())
        .isNull();
  }

  @Test
  void refusesAMalformedFaultOverHttpNamingWhatIsWrong() throws Exception {
    HttpResponse<String> notJson = send("POST", "/_videopipe/faults/echo", "{not json");
    HttpResponse<String> noType = send("POST", "/_videopipe/faults/echo", "{\"errorMessage\":\"m\"}");
    HttpResponse<String> badCount = send("POST", "/_videopipe/faults/echo", "{\"errorType\":\"X\",\"count\":0}");
    HttpResponse<String> badService = send("POST", "/_videopipe/faults/echo", "{\"serviceError\":\"Teapot\"}");
    HttpResponse<String> unknown = send("POST", "/_videopipe/faults/nope", "{\"errorType\":\"X\"}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(noType.statusCode()).isEqualTo(400);
    assertThat(noType.body()).contains("errorType is required");
    assertThat(badCount.statusCode()).isEqualTo(400);
    assertThat(badCount.body()).contains("count");
    assertThat(badService.statusCode()).isEqualTo(400);
    assertThat(badService.body()).contains("TooManyRequestsException or ServiceException");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(lambda.faults().get("echo")).isNull();
  }
}
