package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.Invocation;

/**
 * The runtime against a stand-in jar ({@link FakeFunctionsJar}): each function in its own class
 * loader that sees only the JDK and the jar, its own environment, warm reuse, bounded concurrency,
 * timeouts and Lambda's error payloads. Environments must not leak from one function to another,
 * because the functions of one JVM share {@code System.getenv()}.
 */
class LocalLambdaTest {

  @TempDir
  static Path dir;
  private static LocalLambda lambda;

  @BeforeAll
  static void deploy() {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir), "us-east-1", "000000000000");
    lambda.deployAll(Map.of("CATALOG_TABLE", "videos-a", "UNDECLARED", "not for anyone"));
  }

  @AfterAll
  static void close() {
    lambda.close();
  }

  private static JsonNode invoke(String function, String event) {
    LocalLambda.Result r = lambda.invoke(function, event.getBytes(StandardCharsets.UTF_8));
    return Json.tree(new String(r.payload(), StandardCharsets.UTF_8));
  }

  @Test
  void givesEachFunctionItsOwnEnvironmentInOneJvm() {
    lambda.deploy("envB", lambda.manifest().function("env"), Map.of("CATALOG_TABLE", "videos-b"));

    JsonNode a = invoke("env", "{}");
    JsonNode b = invoke("envB", "{}");

    assertThat(a.path("catalogTable").asString()).isEqualTo("videos-a");
    assertThat(b.path("catalogTable").asString()).isEqualTo("videos-b");
    assertThat(a.path("loader").asString()).isNotEqualTo(b.path("loader").asString());
  }

  @Test
  void keepsTheJarsOwnPropertiesBesideTheEnvironment() {
    assertThat(invoke("env", "{}").path("bannerMode").asString()).isEqualTo("off");
  }

  @Test
  void passesOnlyTheVariablesTheManifestDeclares() {
    assertThat(invoke("env", "{}").path("undeclared").asString()).isEqualTo("null");
  }

  @Test
  void loadsTheJarApartFromTheStacksOwnClasses() {
    assertThat(invoke("env", "{}").path("seesTheStack").asBoolean()).isFalse();
  }

  @Test
  void givesTheContextTheFunctionsArnAndMemory() {
    JsonNode r = invoke("env", "{}");
    assertThat(r.path("arn").asString()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:env");
    assertThat(r.path("memory").asInt()).isEqualTo(512);
  }

  @Test
  void reusesAWarmContainer() {
    lambda.deploy("warm", lambda.manifest().function("env"), Map.of());
    invoke("warm", "{}");
    assertThat(invoke("warm", "{}").path("instances").asInt()).isEqualTo(1);
  }

  @Test
  void reportsEachInvocationsDurationAndOnlyTheColdStartsInit() {
    lambda.deploy("reported", lambda.manifest().function("env"), Map.of());
    invoke("reported", "{}");
    invoke("reported", "{}");

    List<Reports.Report> reports = lambda.reports().all().stream()
        .filter(r -> r.function().equals("reported")).toList();
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).initDuration()).isPositive();
    assertThat(reports.get(1).initDuration()).isZero();
    assertThat(reports).allSatisfy(r -> {
      assertThat(r.duration()).isPositive();
      assertThat(r.failed()).isFalse();
      assertThat(r.requestId()).isNotBlank();
    });
  }

  @Test
  void deliversTheEventBytesUnchanged() {
    String event = "{\"detail\":{\"object\":{\"key\":\"uploads/a%20b/source\"}},\"n\":1.50}";
    LocalLambda.Result r = lambda.invoke("echo", event.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo(event);
    assertThat(r.functionError()).isNull();
  }

  @Test
  void answersAnExceptionWithLambdasErrorPayload() {
    LocalLambda.Result r = lambda.invoke("fail", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(r.functionError()).isEqualTo("Unhandled");
    JsonNode error = Json.tree(new String(r.payload(), StandardCharsets.UTF_8));
    assertThat(error.path("errorType").asString()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(error.path("errorMessage").asString()).isEqualTo("bad event: {\"x\":1}");
    assertThat(error.path("stackTrace").get(0).asString()).contains("FunctionInvoker.handleRequest");
    assertThat(error.path("cause").path("errorType").asString()).isEqualTo("java.io.UncheckedIOException");
  }

  @Test
  void answersAFailedInitWithItsException() {
    LocalLambda.Result r = lambda.invoke("brokenInit", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(r.functionError()).isEqualTo("Unhandled");
    JsonNode error = Json.tree(new String(r.payload(), StandardCharsets.UTF_8));
    assertThat(error.path("errorType").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.path("errorMessage").asString()).contains("CATALOG_TABLE");
  }

  @Test
  void timesOutAFunctionThatRunsPastItsTimeoutAndStartsAFreshContainer() {
    LocalLambda.Result r = lambda.invoke("sleep", "3000".getBytes(StandardCharsets.UTF_8));

    assertThat(r.functionError()).isEqualTo("Unhandled");
    JsonNode error = Json.tree(new String(r.payload(), StandardCharsets.UTF_8));
    assertThat(error.path("errorType").asString()).isEqualTo("Sandbox.Timedout");
    assertThat(error.path("errorMessage").asString()).endsWith("Task timed out after 1.00 seconds");
    assertThat(lambda.invoke("sleep", "1".getBytes(StandardCharsets.UTF_8)).functionError()).isNull();
  }

  @Test
  void runsAtMostTheReservedConcurrencyOfContainers() throws Exception {
    lambda.deploy("sleepy", lambda.manifest().function("sleep"), Map.of());
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Future<LocalLambda.Result>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(callers.submit(() -> lambda.invoke("sleepy", "150".getBytes(StandardCharsets.UTF_8))));
      }
      Set<String> containers = new HashSet<>();
      for (Future<LocalLambda.Result> call : calls) {
        LocalLambda.Result r = call.get();
        assertThat(r.functionError()).isNull();
        containers.add(new String(r.payload(), StandardCharsets.UTF_8));
      }
      assertThat(containers).hasSizeLessThanOrEqualTo(2);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void refusesToDeployAFunctionWhoseVariableThisJvmSetsForAll() {
    FunctionManifest.Function spec = new FunctionManifest.Function("shadowed", "env", 3, 128, 0,
        List.of("VIDEOPIPE_LAMBDA_TEST_SHADOWED"), List.of());
    System.setProperty("VIDEOPIPE_LAMBDA_TEST_SHADOWED", "everyone's");
    try {
      assertThatThrownBy(() -> lambda.deploy("shadowed", spec, Map.of("VIDEOPIPE_LAMBDA_TEST_SHADOWED", "mine")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("VIDEOPIPE_LAMBDA_TEST_SHADOWED is set in this JVM's system properties");
    } finally {
      System.clearProperty("VIDEOPIPE_LAMBDA_TEST_SHADOWED");
    }
  }

  @Test
  void refusesAnEventThatIsNotJson() {
    assertThatThrownBy(() -> lambda.invoke("echo", "not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(LambdaException.class,
            e -> assertThat(e.code).isEqualTo(LambdaException.Code.InvalidRequestContentException));
  }

  @Test
  void refusesAnUnknownFunctionNamingItsArn() {
    assertThatThrownBy(() -> lambda.invoke("nope", "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(LambdaException.class,
            e -> assertThat(e.code).isEqualTo(LambdaException.Code.ResourceNotFoundException))
        .hasMessageContaining("arn:aws:lambda:us-east-1:000000000000:function:nope");
  }

  @Test
  void resolvesNamesArnsAndQualifiers() {
    assertThat(LocalLambda.nameOf("echo")).isEqualTo("echo");
    assertThat(LocalLambda.nameOf("echo:$LATEST")).isEqualTo("echo");
    assertThat(LocalLambda.nameOf("000000000000:function:echo")).isEqualTo("echo");
    assertThat(LocalLambda.nameOf("arn:aws:lambda:us-east-1:000000000000:function:echo:$LATEST")).isEqualTo("echo");
  }

  @Test
  void failsAStepFunctionsTaskWithTheFunctionsErrorType() throws Exception {
    Invocation r = lambda.taskInvoker().invoke(lambda.functionArn("fail"), Map.of("x", 1)).toCompletableFuture().get();

    assertThat(r).isInstanceOfSatisfying(Invocation.Failed.class, f -> {
      assertThat(f.error()).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(Json.tree(f.cause()).path("errorMessage").asString()).isEqualTo("bad event: {\"x\":1}");
    });
  }

  @Test
  void returnsAStepFunctionsTasksOutputAsPlainValues() throws Exception {
    Invocation r = lambda.taskInvoker().invoke("echo", Map.of("videoId", "v1")).toCompletableFuture().get();
    assertThat(r).isEqualTo(new Invocation.Returned(Map.of("videoId", "v1")));
  }

  @Test
  void namesLambdasOwnErrorsAsStepFunctionsDoes() throws Exception {
    Invocation r = lambda.taskInvoker().invoke("nope", Map.of()).toCompletableFuture().get();
    assertThat(r).isInstanceOfSatisfying(Invocation.Failed.class,
        f -> assertThat(f.error()).isEqualTo("Lambda.ResourceNotFoundException"));
  }
}
