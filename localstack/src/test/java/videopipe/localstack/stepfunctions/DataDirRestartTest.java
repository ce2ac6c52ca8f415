package videopipe.localstack.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import videopipe.statemachines.engine.Invocation;
import videopipe.statemachines.engine.TaskInvoker;
import videopipe.localstack.LocalClients;

/**
 * A local Step Functions with a data directory, closed and started again on it, as a developer's
 * {@code videopipe local up} is: what had finished answers exactly as before, what was running
 * goes on (a task token handed out before still works), a failed execution can still be
 * redriven, and a damaged directory costs only the damaged part.
 */
class DataDirRestartTest {

  static final String ACCOUNT = "000000000000";
  static final String ROLE = "arn:aws:iam::000000000000:role/sfn";

  @TempDir
  Path dir;

  /** This test's functions by name; each answers with a future, so that a call can stay in flight. */
  final Map<String, Function<Object, CompletableFuture<Invocation>>> functions = new ConcurrentHashMap<>();
  StepFunctionsServer server;
  SfnClient sfn;

  void start() throws IOException {
    TaskInvoker invoker = (function, payload) -> {
      var f = functions.get(function.substring(function.lastIndexOf(':') + 1));
      return f != null ? f.apply(payload) : CompletableFuture.completedFuture(
          new Invocation.Failed("Lambda.ResourceNotFoundException", "no function " + function));
    };
    server = StepFunctionsServer.start(0, "us-east-1", ACCOUNT, invoker, dir);
    sfn = LocalClients.at(SfnClient.builder(), server.endpoint());
  }

  void restart() throws IOException {
    stop();
    start();
  }

  @AfterEach
  void stop() {
    if (sfn != null) {
      sfn.close();
      sfn = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  static CompletableFuture<Invocation> returns(Object output) {
    return CompletableFuture.completedFuture(new Invocation.Returned(output));
  }

  String create(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
  }

  DescribeExecutionResponse await(String arn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      assertThat(System.nanoTime()).as("execution %s still running", arn).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  List<HistoryEvent> history(String arn) {
    return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream().toList();
  }

  long count(List<HistoryEvent> events, HistoryEventType type) {
    return events.stream().filter(e -> e.type() == type).count();
  }

  static final String DOUBLE = """
      {"StartAt": "Double", "States": {"Double": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:double", "End": true}}}""";

  @Test
  void finishedExecutionsAndMachinesAnswerExactlyAsBefore() throws Exception {
    start();
    functions.put("double", p -> returns(Map.of("n", ((Number) ((Map<?, ?>) p).get("n")).intValue() * 2)));
    String machine = create("doubler", DOUBLE);
    sfn.updateStateMachine(b -> b.stateMachineArn(machine).definition(DOUBLE.replace("\"End\"", "\"Comment\": \"v2\", \"End\"")));
    String ok = sfn.startExecution(b -> b.stateMachineArn(machine).name("ok").input("{\"n\": 21}")).executionArn();
    String bad = sfn.startExecution(b -> b.stateMachineArn(machine).name("bad").input("{}")).executionArn();
    await(ok);
    await(bad);
    var describedMachine = sfn.describeStateMachine(b -> b.stateMachineArn(machine));
    var machines = sfn.listStateMachines(b -> { });
    DescribeExecutionResponse okBefore = sfn.describeExecution(b -> b.executionArn(ok));
    DescribeExecutionResponse badBefore = sfn.describeExecution(b -> b.executionArn(bad));
    ListExecutionsResponse listed = sfn.listExecutions(b -> b.stateMachineArn(machine));
    GetExecutionHistoryResponse historyBefore = sfn.getExecutionHistory(b -> b.executionArn(bad).reverseOrder(true));

    restart();

    assertThat(okBefore.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(badBefore.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(fields(sfn.describeStateMachine(b -> b.stateMachineArn(machine)))).isEqualTo(fields(describedMachine));
    assertThat(fields(sfn.listStateMachines(b -> { }))).isEqualTo(fields(machines));
    assertThat(fields(sfn.describeExecution(b -> b.executionArn(ok)))).isEqualTo(fields(okBefore));
    assertThat(fields(sfn.describeExecution(b -> b.executionArn(bad)))).isEqualTo(fields(badBefore));
    assertThat(fields(sfn.listExecutions(b -> b.stateMachineArn(machine)))).isEqualTo(fields(listed));
    assertThat(fields(sfn.getExecutionHistory(b -> b.executionArn(bad).reverseOrder(true)))).isEqualTo(fields(historyBefore));
    assertThat(server.dataDirProblems()).isEmpty();
  }

  static final String TRANSCODE = """
      {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Submit", "States": {"Submit": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "submit", "Payload": {"token.$": "$$.Task.Token"}},
          "TimeoutSeconds": 3600, "HeartbeatSeconds": 600, "End": true}}},
        {"StartAt": "Captions", "States": {"Captions": {"Type": "Pass", "Result": "none", "End": true}}}]}}}""";

  @Test
  void aTaskWaitingForItsTokenInsideAParallelKeepsWaitingAndTheOldTokenStillWorks() throws Exception {
    start();
    BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    AtomicInteger submits = new AtomicInteger();
    functions.put("submit", p -> {
      submits.incrementAndGet();
      tokens.add((String) ((Map<?, ?>) p).get("token"));
      return returns(Map.of("jobId", "job-1"));
    });
    String machine = create("transcode", TRANSCODE);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("t-1")).executionArn();
    String token = tokens.poll(60, TimeUnit.SECONDS);
    assertThat(token).isNotNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count(history(arn), HistoryEventType.TASK_SUBMITTED) == 0) {
      assertThat(System.nanoTime()).as("TaskSubmitted recorded").isLessThan(deadline);
      Thread.sleep(20);
    }
    List<HistoryEvent> before = history(arn);

    restart();

    assertThat(history(arn)).isEqualTo(before);
    sfn.sendTaskHeartbeat(b -> b.taskToken(token));
    sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"playlist\": \"hls/index.m3u8\"}"));
    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("[{\"playlist\":\"hls/index.m3u8\"},\"none\"]");
    List<HistoryEvent> events = history(arn);
    assertThat(count(events, HistoryEventType.TASK_SCHEDULED)).isEqualTo(1);
    assertThat(count(events, HistoryEventType.TASK_SUBMITTED)).isEqualTo(1);
    assertThat(submits).as("the function already returned: not called again").hasValue(1);
    assertThat(events.subList(0, before.size())).isEqualTo(before);
  }

  @Test
  void aMapGoesOnWithTheIterationsItHadNotStartedYet() throws Exception {
    start();
    BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    functions.put("submit", p -> {
      tokens.add((String) ((Map<?, ?>) p).get("token"));
      return returns(Map.of());
    });
    String machine = create("each", """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1, "ItemsPath": "$.items", "End": true,
          "ItemProcessor": {"StartAt": "Submit", "States": {"Submit": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "submit", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("m-1").input("{\"items\": [1, 2, 3]}"))
        .executionArn();
    String first = tokens.poll(60, TimeUnit.SECONDS);
    assertThat(first).isNotNull();

    restart();

    sfn.sendTaskSuccess(b -> b.taskToken(first).output("\"one\""));
    for (String output : new String[] {"\"two\"", "\"three\""}) {
      String token = tokens.poll(60, TimeUnit.SECONDS);
      assertThat(token).as("the next iteration's token").isNotNull();
      sfn.sendTaskSuccess(b -> b.taskToken(token).output(output));
    }
    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("[\"one\",\"two\",\"three\"]");
    List<HistoryEvent> events = history(arn);
    assertThat(count(events, HistoryEventType.MAP_ITERATION_STARTED)).isEqualTo(3);
    assertThat(count(events, HistoryEventType.TASK_SCHEDULED)).isEqualTo(3);
    assertThat(tokens).as("no iteration ran twice").isEmpty();
  }

  @Test
  void aCallInFlightIsMadeAgainAfterARestart() throws Exception {
    start();
    CompletableFuture<Invocation> never = new CompletableFuture<>();
    functions.put("double", p -> never);
    String machine = create("doubler", DOUBLE);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("d-1").input("{\"n\": 2}")).executionArn();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count(history(arn), HistoryEventType.LAMBDA_FUNCTION_STARTED) == 0) {
      assertThat(System.nanoTime()).as("the call started").isLessThan(deadline);
      Thread.sleep(20);
    }

    functions.put("double", p -> returns(Map.of("n", 4)));
    restart();

    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"n\":4}");
    List<HistoryEvent> events = history(arn);
    assertThat(count(events, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)).isEqualTo(1);
    assertThat(count(events, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED)).isEqualTo(1);
  }

  @Test
  void aWaitResumesWithWhatIsLeft() throws Exception {
    start();
    String machine = create("nap", """
        {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 2, "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("n-1")).executionArn();

    restart();

    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
    List<HistoryEvent> events = history(arn);
    assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(events.get(2).timestamp()).as("woke no earlier than 2 s after it started waiting")
        .isAfterOrEqualTo(events.get(1).timestamp().plusSeconds(2));
  }

  @Test
  void aFailedExecutionCanBeRedrivenAfterARestart() throws Exception {
    start();
    functions.put("double", p -> CompletableFuture.completedFuture(new Invocation.Failed("Broken", "not yet")));
    String machine = create("doubler", DOUBLE);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("r-1").input("{\"n\": 5}")).executionArn();
    assertThat(await(arn).status()).isEqualTo(ExecutionStatus.FAILED);

    functions.put("double", p -> returns(Map.of("n", 10)));
    restart();

    sfn.redriveExecution(b -> b.executionArn(arn));
    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.redriveCount()).isEqualTo(1);
    assertThat(done.output()).isEqualTo("{\"n\":10}");

    restart();

    assertThat(fields(sfn.describeExecution(b -> b.executionArn(arn)))).isEqualTo(fields(done));
  }

  @Test
  void aJournalCutMidLineLoadsWhatCameBeforeAndSaysSo() throws Exception {
    start();
    functions.put("double", p -> returns(Map.of("n", 2)));
    String machine = create("doubler", DOUBLE);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("c-1").input("{\"n\": 1}")).executionArn();
    DescribeExecutionResponse done = await(arn);
    List<HistoryEvent> events = history(arn);
    stop();
    Path journal = onlyJournal();
    Files.writeString(journal, "{\"k\":\"event\",\"id\":9,\"timest", StandardOpenOption.APPEND);

    start();

    assertThat(server.dataDirProblems()).singleElement().asString().contains(journal.toString()).contains("cut short");
    assertThat(fields(sfn.describeExecution(b -> b.executionArn(arn)))).isEqualTo(fields(done));
    assertThat(history(arn)).isEqualTo(events);
    assertThat(Files.readString(journal)).as("the cut line is dropped, so that later lines follow whole ones")
        .endsWith("\n").doesNotContain("\"id\":9,");
  }

  @Test
  void anUnreadableExecutionFileIsReportedAndSkipped() throws Exception {
    start();
    functions.put("double", p -> returns(Map.of("n", 2)));
    String machine = create("doubler", DOUBLE);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("g-1").input("{\"n\": 1}")).executionArn();
    await(arn);
    stop();
    Path garbage = dir.resolve("executions").resolve("0123456789abcdef.jsonl");
    Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n', 'x'});

    start();

    assertThat(server.dataDirProblems()).singleElement().asString().contains(garbage.toString()).contains("skipped");
    assertThat(garbage).doesNotExist();
    assertThat(garbage.resolveSibling(garbage.getFileName() + ".unreadable")).exists();
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void aSecondServerOnTheSameDirectoryFailsClearly() throws Exception {
    start();
    assertThatThrownBy(() -> StepFunctionsServer.start(0, "us-east-1", ACCOUNT, StepFunctionsServer.noFunctions(), dir))
        .isInstanceOf(IOException.class).hasMessageContaining(dir.toString()).hasMessageContaining("in use");
  }

  /**
   * A response's modelled fields (what the service sent): responses themselves differ by request
   * id, which the comparison must leave out.
   */
  static List<Object> fields(SdkPojo response) {
    return response.sdkFields().stream().map(f -> (Object) f.getValueOrDefault(response)).toList();
  }

  private Path onlyJournal() throws IOException {
    try (var files = Files.list(dir.resolve("executions"))) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
