package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.eventbridge.DeadLetterQueue;
import videopipe.statemachines.asl.Json;

/**
 * Lambda's asynchronous queue is durable: an event that EventBridge handed to a function is not
 * lost because the function failed once and the stack stopped while it waited for its retry (the
 * execution waiting on transcodeCompleted's answer would otherwise wait until its heartbeat timed
 * out). With a directory, the local queue outlives the runtime; the next runtime on it runs the
 * invocations once their functions are deployed again.
 */
class AsyncQueueRestartTest {

  private static final String TRANSIENT = "videopipe.functions.TransientFailure";
  private static final long WAIT = 60_000;

  @TempDir
  static Path shared;
  private static Path jar;

  @TempDir
  Path dir;

  @BeforeAll
  static void buildJar() {
    jar = FakeFunctionsJar.build(shared.resolve("jar"));
  }

  private static LocalLambda runtime(Duration firstRetry) {
    LocalLambda lambda = new LocalLambda(jar, "us-east-1", "000000000000");
    lambda.asyncDelays(new AsyncDelays(firstRetry, firstRetry, Duration.ofMillis(10), Duration.ofMillis(50)));
    return lambda;
  }

  private static void deployMark(LocalLambda lambda, String name, Path marks) {
    lambda.deploy(name, lambda.manifest().function("mark"), Map.of("MARK_FILE", marks.toString()));
  }

  /** The invocation's file once it records its first function error (so its retry is scheduled). */
  private static JsonNode awaitFailedOnce(Path file) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(file)) {
        JsonNode saved = Json.tree(Files.readString(file));
        if (saved.path("functionErrors").asInt() == 1) {
          return saved;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the invocation's first failure was never saved in " + file);
  }

  private static List<Path> queued(Path queue) throws IOException {
    try (Stream<Path> files = Files.list(queue)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    }
  }

  private static void awaitNothingPending(LocalLambda lambda) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT;
    while (lambda.pendingAsyncInvocations() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void retriesAfterARestartTheInvocationThatWasWaitingForItsRetry() throws Exception {
    Path queue = dir.resolve("lambda");
    Path marks = dir.resolve("marks");
    String requestId;
    JsonNode saved;
    try (LocalLambda first = runtime(Duration.ofSeconds(3))) {
      first.keepAsyncInvocationsIn(queue);
      deployMark(first, "markRetry", marks);
      first.faults().failNext("markRetry", 1, TRANSIENT, "injected");
      requestId = first.invokeAsync("markRetry", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
      saved = awaitFailedOnce(queue.resolve(requestId + ".json"));
    }
    assertThat(marks).doesNotExist();
    while (System.currentTimeMillis() <= saved.path("dueAt").asLong()) {
      Thread.sleep(50); // the retry falls due while no runtime runs: due the moment the next one starts
    }

    try (LocalLambda second = runtime(Duration.ofHours(1))) {
      second.keepAsyncInvocationsIn(queue);
      Thread.sleep(500); // were it run before its function is deployed, it would be gone by now
      assertThat(second.pendingAsyncInvocations()).isEqualTo(1);
      deployMark(second, "markRetry", marks);
      second.resumeAsyncInvocations();
      second.resumeAsyncInvocations(); // a second call finds nothing more to resume

      assertThat(AsyncInvocationTest.awaitLinesIn(marks, 1)).containsExactly(requestId + " {\"n\":1}");
      awaitNothingPending(second);
      assertThat(second.pendingAsyncInvocations()).isZero();
      assertThat(queued(queue)).isEmpty();
      assertThat(Files.readAllLines(marks)).hasSize(1);
      assertThat(second.dataDirProblems()).isEmpty();
    }
  }

  @Test
  void sendsToItsOnFailureQueueAnInvocationPastItsMaximumAgeAtRestart() throws Exception {
    Path queue = dir.resolve("lambda");
    Path marks = dir.resolve("marks");
    String requestId;
    try (LocalLambda first = runtime(Duration.ofHours(1))) {
      first.keepAsyncInvocationsIn(queue);
      deployMark(first, "markExpired", marks);
      first.faults().failNext("markExpired", 1, TRANSIENT, "injected");
      requestId = first.invokeAsync("markExpired", "{\"videoId\":\"v1\"}".getBytes(StandardCharsets.UTF_8));
      awaitFailedOnce(queue.resolve(requestId + ".json"));
    }

    try (LocalLambda second = runtime(Duration.ofHours(1))) {
      second.keepAsyncInvocationsIn(queue);
      deployMark(second, "markExpired", marks);
      // A maximum age shorter than the stop stands in for a stop longer than the function's maximum age.
      DeadLetterQueue dlq = DeadLetterQueue.inMemory("arn:aws:sqs:us-east-1:000000000000:markExpired-failures");
      second.putFunctionEventInvokeConfig("markExpired", new EventInvokeConfig(2, Duration.ofMillis(1), dlq));
      second.resumeAsyncInvocations();

      DeadLetterQueue.Message m = dlq.await(1, WAIT).get(0);
      JsonNode record = Json.tree(m.body());
      assertThat(record.path("requestContext").path("condition").asString()).isEqualTo("EventAgeExceeded");
      assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
      assertThat(record.path("requestPayload").path("videoId").asString()).isEqualTo("v1");
      assertThat(record.path("responseContext").path("functionError").asString()).isEqualTo("Unhandled");
      assertThat(record.path("responsePayload").path("errorType").asString()).isEqualTo(TRANSIENT);
      assertThat(m.attributes()).containsEntry("RequestID", requestId).containsEntry("ErrorCode", "200")
          .containsEntry("ErrorMessage", "injected");
      assertThat(second.pendingAsyncInvocations()).isZero();
      assertThat(queued(queue)).isEmpty();
      assertThat(marks).doesNotExist();
    }
  }

  @Test
  void setsAsideAFileThatIsNotAnInvocationAndStartsAnyway() throws Exception {
    Path queue = Files.createDirectories(dir.resolve("lambda"));
    Files.writeString(queue.resolve("cut-short.json"), "{\"requestId\":\"cut-short\",\"func");
    Files.writeString(queue.resolve("no-payload.json"), "{\"requestId\":\"no-payload\",\"function\":\"mark\"}");
    Path marks = dir.resolve("marks");

    try (LocalLambda lambda = runtime(Duration.ofMillis(10))) {
      lambda.keepAsyncInvocationsIn(queue);
      deployMark(lambda, "markAfterProblems", marks);
      lambda.resumeAsyncInvocations();

      assertThat(lambda.dataDirProblems()).hasSize(2)
          .anySatisfy(p -> assertThat(p).contains("cut-short.json").contains("cut-short.json.unreadable"))
          .anySatisfy(p -> assertThat(p).contains("no-payload.json").contains("no payload"));
      assertThat(queue.resolve("cut-short.json.unreadable")).exists();
      assertThat(queue.resolve("no-payload.json.unreadable")).exists();
      assertThat(queued(queue)).isEmpty();
      assertThat(lambda.pendingAsyncInvocations()).isZero();
      String requestId = lambda.invokeAsync("markAfterProblems", "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(AsyncInvocationTest.awaitLinesIn(marks, 1)).containsExactly(requestId + " {}");
    }
  }

  @Test
  void refusesASecondRuntimeOnTheSameDirectory() throws Exception {
    Path queue = dir.resolve("lambda");
    try (LocalLambda first = runtime(Duration.ofMillis(10)); LocalLambda second = runtime(Duration.ofMillis(10))) {
      first.keepAsyncInvocationsIn(queue);

      assertThatThrownBy(() -> second.keepAsyncInvocationsIn(queue))
          .isInstanceOf(IOException.class).hasMessageContaining(queue.toString()).hasMessageContaining("local Lambda");
      first.close();
      second.keepAsyncInvocationsIn(queue); // free again once the first is closed
    }
  }

  @Test
  void keepsNothingAndReportsNothingInMemory() throws Exception {
    Path marks = dir.resolve("marks");
    try (LocalLambda lambda = runtime(Duration.ofMillis(10))) {
      deployMark(lambda, "markInMemory", marks);
      lambda.faults().failNext("markInMemory", 1, TRANSIENT, "injected");
      lambda.resumeAsyncInvocations();

      String requestId = lambda.invokeAsync("markInMemory", "{}".getBytes(StandardCharsets.UTF_8));

      assertThat(AsyncInvocationTest.awaitLinesIn(marks, 1)).containsExactly(requestId + " {}");
      assertThat(lambda.dataDirProblems()).isEmpty();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).containsExactly(marks);
      }
    }
  }
}
