package videopipe.localstack.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveFilter;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;
import software.amazon.awssdk.services.sfn.model.ValidationException;
import videopipe.statemachines.StateMachineDefinitions;
import videopipe.statemachines.engine.TaskInvoker;
import videopipe.localstack.LocalClients;

/**
 * The local Step Functions through the real {@link SfnClient}, as the functions and the CLI use
 * it: every operation, the errors AWS names, and video-ingest with in-process functions.
 */
class StepFunctionsServerTest {

  static final String ACCOUNT = "000000000000";
  static final String ROLE = "arn:aws:iam::000000000000:role/sfn";
  static final String PASS = """
      {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"greeting": "hi"}, "ResultPath": "$.out", "End": true}}}""";
  static final String WAIT = """
      {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

  /** The test's Lambda functions, by the function's name (the last part of its ARN). */
  static final Map<String, Function<Object, Object>> FUNCTIONS = new ConcurrentHashMap<>();
  static StepFunctionsServer server;
  static SfnClient sfn;

  @BeforeAll
  static void start() throws Exception {
    TaskInvoker invoker = TaskInvoker.of(call -> {
      String name = call.function().substring(call.function().lastIndexOf(':') + 1);
      Function<Object, Object> f = FUNCTIONS.get(name);
      if (f == null) {
        throw new TaskInvoker.TaskFailure("Lambda.ResourceNotFoundException", "Function not found: " + call.function());
      }
      return f.apply(call.payload());
    });
    server = StepFunctionsServer.start(0, "us-east-1", ACCOUNT, invoker);
    sfn = LocalClients.at(SfnClient.builder(), server.endpoint());
  }

  @AfterAll
  static void stop() {
    sfn.close();
    server.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String create(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
  }

  static DescribeExecutionResponse await(String executionArn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      assertThat(System.nanoTime()).as("execution still running: %s", executionArn).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  static List<HistoryEvent> history(String executionArn) {
    List<HistoryEvent> all = new ArrayList<>();
    sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).forEach(page -> all.addAll(page.events()));
    return all;
  }

  @Test
  void createsDescribesAndListsStateMachinesPageByPage() {
    String prefix = unique("list");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      arns.add(create(prefix + "-" + i, PASS));
    }
    assertThat(arns.get(0)).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:" + prefix + "-0");

    DescribeStateMachineResponse d = sfn.describeStateMachine(b -> b.stateMachineArn(arns.get(1)));
    assertThat(d.name()).isEqualTo(prefix + "-1");
    assertThat(d.definition()).isEqualTo(PASS);
    assertThat(d.roleArn()).isEqualTo(ROLE);
    assertThat(d.type()).isEqualTo(StateMachineType.STANDARD);
    assertThat(d.statusAsString()).isEqualTo("ACTIVE");
    assertThat(d.creationDate()).isBetween(Instant.now().minusSeconds(60), Instant.now());

    List<String> listed = new ArrayList<>();
    int pages = 0;
    for (ListStateMachinesResponse page : sfn.listStateMachinesPaginator(b -> b.maxResults(2))) {
      assertThat(page.stateMachines()).hasSizeLessThanOrEqualTo(2);
      page.stateMachines().stream().map(StateMachineListItem::stateMachineArn).forEach(listed::add);
      pages++;
    }
    assertThat(listed).containsAll(arns).doesNotHaveDuplicates();
    assertThat(pages).isGreaterThanOrEqualTo(2);

    // Same name, same settings: the same machine, as on AWS; then updated, then deleted.
    assertThat(create(prefix + "-0", PASS)).isEqualTo(arns.get(0));
    sfn.updateStateMachine(b -> b.stateMachineArn(arns.get(0)).definition(WAIT));
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arns.get(0))).definition()).isEqualTo(WAIT);
    sfn.deleteStateMachine(b -> b.stateMachineArn(arns.get(2)));
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arns.get(2))))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void startsAnExecutionAndDescribesItUntilItSucceeds() throws Exception {
    String machine = create(unique("pass"), PASS);
    Instant before = Instant.now().minusMillis(5);
    var started = sfn.startExecution(b -> b.stateMachineArn(machine).name("run-1").input("{\"n\": 1}"));
    assertThat(started.executionArn()).endsWith(":execution:" + machine.substring(machine.lastIndexOf(':') + 1) + ":run-1");
    assertThat(started.startDate()).isAfter(before);

    DescribeExecutionResponse done = await(started.executionArn());
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.name()).isEqualTo("run-1");
    assertThat(done.stateMachineArn()).isEqualTo(machine);
    assertThat(done.input()).isEqualTo("{\"n\":1}");
    assertThat(done.output()).isEqualTo("{\"n\":1,\"out\":{\"greeting\":\"hi\"}}");
    assertThat(done.startDate()).isEqualTo(started.startDate());
    assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
    assertThat(done.redriveCount()).isZero();
    assertThat(done.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
    assertThat(done.redriveStatusReason()).contains("SUCCEEDED");
    assertThat(done.error()).isNull();
  }

  @Test
  void pagesTheHistoryForwardAndBackwardInAwsShape() throws Exception {
    String machine = create(unique("history"), """
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"x\": 1}")).executionArn();
    await(arn);

    List<HistoryEvent> all = history(arn);
    assertThat(all).extracting(HistoryEvent::type).containsExactly(
        HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
        HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(all).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(all.get(0).executionStartedEventDetails().input()).isEqualTo("{\"x\":1}");
    assertThat(all.get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);
    assertThat(all.get(1).stateEnteredEventDetails().name()).isEqualTo("A");
    assertThat(all.get(2).stateExitedEventDetails().name()).isEqualTo("A");
    assertThat(all.get(7).executionSucceededEventDetails().output()).isEqualTo("{\"x\":1}");
    assertThat(all.get(7).timestamp()).isAfterOrEqualTo(all.get(0).timestamp());

    GetExecutionHistoryResponse first = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(3));
    assertThat(first.events()).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L);
    GetExecutionHistoryResponse second = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(3)
        .nextToken(first.nextToken()));
    assertThat(second.events()).extracting(HistoryEvent::id).containsExactly(4L, 5L, 6L);
    GetExecutionHistoryResponse last = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(3)
        .nextToken(second.nextToken()));
    assertThat(last.events()).extracting(HistoryEvent::id).containsExactly(7L, 8L);
    assertThat(last.nextToken()).isNull();

    GetExecutionHistoryResponse reversed = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(5).reverseOrder(true));
    assertThat(reversed.events()).extracting(HistoryEvent::id).containsExactly(8L, 7L, 6L, 5L, 4L);
    GetExecutionHistoryResponse reversedRest = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(5)
        .reverseOrder(true).nextToken(reversed.nextToken()));
    assertThat(reversedRest.events()).extracting(HistoryEvent::id).containsExactly(3L, 2L, 1L);
    assertThat(reversedRest.nextToken()).isNull();

    GetExecutionHistoryResponse withoutData = sfn.getExecutionHistory(b -> b.executionArn(arn).includeExecutionData(false));
    assertThat(withoutData.events().get(0).executionStartedEventDetails().input()).isNull();

    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(arn).nextToken("forged")))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void listsExecutionsNewestFirstFilteredByStatusPageByPage() throws Exception {
    String machine = create(unique("filter"), """
        {"StartAt": "Check", "States": {
          "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}],
                    "Default": "Fine"},
          "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "asked to"},
          "Fine": {"Type": "Succeed"}}}""");
    List<String> succeeded = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      boolean fail = i % 2 == 1;
      String name = "e" + i;
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input("{\"fail\": " + fail + "}"))
          .executionArn();
      await(arn);
      if (!fail) {
        succeeded.add(0, arn); // newest first
      }
    }

    ListExecutionsResponse page1 = sfn.listExecutions(b -> b.stateMachineArn(machine)
        .statusFilter(ExecutionStatus.SUCCEEDED).maxResults(2));
    assertThat(page1.executions()).extracting(ExecutionListItem::executionArn).containsExactlyElementsOf(succeeded.subList(0, 2));
    assertThat(page1.nextToken()).isNotNull();
    ListExecutionsResponse page2 = sfn.listExecutions(b -> b.stateMachineArn(machine)
        .statusFilter(ExecutionStatus.SUCCEEDED).maxResults(2).nextToken(page1.nextToken()));
    assertThat(page2.executions()).extracting(ExecutionListItem::executionArn).containsExactly(succeeded.get(2));
    assertThat(page2.nextToken()).isNull();

    ListExecutionsResponse failed = sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED));
    assertThat(failed.executions()).extracting(ExecutionListItem::name).containsExactly("e3", "e1");
    ExecutionListItem item = failed.executions().get(0);
    assertThat(item.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(item.stateMachineArn()).isEqualTo(machine);
    assertThat(item.stopDate()).isAfterOrEqualTo(item.startDate());

    List<String> everything = new ArrayList<>();
    sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine).maxResults(1))
        .executions().forEach(e -> everything.add(e.name()));
    assertThat(everything).containsExactly("e4", "e3", "e2", "e1", "e0");
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).redriveFilter(ExecutionRedriveFilter.REDRIVEN))
        .executions()).isEmpty();
  }

  @Test
  void stopsARunningExecutionAsAborted() throws Exception {
    String machine = create(unique("stop"), WAIT);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.RUNNING);

    Instant stopDate = sfn.stopExecution(b -> b.executionArn(arn).error("Operator").cause("not needed")).stopDate();
    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(d.stopDate()).isEqualTo(stopDate);
    assertThat(d.error()).isEqualTo("Operator");
    assertThat(d.cause()).isEqualTo("not needed");
    assertThat(d.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
    assertThat(history(arn).get(history(arn).size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);
  }

  @Test
  void redrivesAFailedExecutionAtTheFailedState() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    String fn = unique("flaky");
    FUNCTIONS.put(fn, payload -> {
      calls.incrementAndGet();
      if (broken.get()) {
        throw new TaskInvoker.TaskFailure("java.lang.IllegalStateException", "{\"errorMessage\":\"bug\"}");
      }
      return Map.of("done", true);
    });
    String machine = create(unique("redrive"), """
        {"StartAt": "First", "States": {
          "First": {"Type": "Pass", "Next": "Work"},
          "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:%s", "End": true}}}"""
        .formatted(fn));
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    DescribeExecutionResponse failed = await(arn);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failed.cause()).isEqualTo("{\"errorMessage\":\"bug\"}");
    assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);

    broken.set(false);
    Instant redriveDate = sfn.redriveExecution(b -> b.executionArn(arn)).redriveDate();
    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"done\":true}");
    assertThat(done.redriveCount()).isEqualTo(1);
    assertThat(done.redriveDate()).isEqualTo(redriveDate);
    assertThat(done.error()).isNull();
    assertThat(calls).hasValue(2);

    List<HistoryEventType> types = history(arn).stream().map(HistoryEvent::type).toList();
    assertThat(types).containsSubsequence(HistoryEventType.LAMBDA_FUNCTION_FAILED, HistoryEventType.EXECUTION_FAILED,
        HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
        HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(types.stream().filter(HistoryEventType.PASS_STATE_ENTERED::equals)).hasSize(1);
    HistoryEvent redriven = history(arn).stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN)
        .findFirst().orElseThrow();
    assertThat(redriven.executionRedrivenEventDetails().redriveCount()).isEqualTo(1);
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).redriveFilter(ExecutionRedriveFilter.REDRIVEN))
        .executions()).extracting(ExecutionListItem::executionArn).containsExactly(arn);

    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class);
  }

  @Test
  void startingAgainWithTheSameNameIsIdempotentOnlyForTheSameInputWhileRunning() throws Exception {
    String machine = create(unique("idempotent"), WAIT);
    var first = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\": 1}"));
    var again = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\": 1}"));
    assertThat(again.executionArn()).isEqualTo(first.executionArn());
    assertThat(again.startDate()).isEqualTo(first.startDate());
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\": 2}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);

    sfn.stopExecution(b -> b.executionArn(first.executionArn()));
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\": 1}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).hasSize(1);
  }

  @Test
  void answersTaskTokensAndRefusesStaleOnes() throws Exception {
    BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    String fn = unique("callback");
    FUNCTIONS.put(fn, payload -> {
      tokens.add((String) ((Map<?, ?>) payload).get("token"));
      return Map.of("jobId", "j-1");
    });
    String definition = """
        {"StartAt": "Wait", "States": {"Wait": {"Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:%s",
                         "Payload": {"token.$": "$$.Task.Token"}},
          %s "End": true}}}""";
    String machine = create(unique("token"), definition.formatted(fn, "\"HeartbeatSeconds\": 60,"));

    String ok = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    String token = tokens.poll(10, TimeUnit.SECONDS);
    sfn.sendTaskHeartbeat(b -> b.taskToken(token));
    sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"renditions\": 3}"));
    assertThat(await(ok).output()).isEqualTo("{\"renditions\":3}");
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
        .isInstanceOf(TaskDoesNotExistException.class);

    String bad = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    String token2 = tokens.poll(10, TimeUnit.SECONDS);
    sfn.sendTaskFailure(b -> b.taskToken(token2).error("Transcode.Failed").cause("codec"));
    DescribeExecutionResponse failed = await(bad);
    assertThat(failed.error()).isEqualTo("Transcode.Failed");
    assertThat(failed.cause()).isEqualTo("codec");

    String quick = create(unique("timeout"), definition.formatted(fn, "\"TimeoutSeconds\": 1,"));
    String late = sfn.startExecution(b -> b.stateMachineArn(quick)).executionArn();
    String token3 = tokens.poll(10, TimeUnit.SECONDS);
    assertThat(await(late).error()).isEqualTo("States.Timeout");
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token3).output("{}")))
        .isInstanceOf(TaskTimedOutException.class);

    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken("x".repeat(3000))))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void validatesDefinitionsWithDiagnostics() {
    ValidateStateMachineDefinitionResponse ok = sfn.validateStateMachineDefinition(b -> b.definition(PASS));
    assertThat(ok.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
    assertThat(ok.diagnostics()).isEmpty();

    ValidateStateMachineDefinitionResponse bad = sfn.validateStateMachineDefinition(b -> b.definition("""
        {"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}"""));
    assertThat(bad.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
    assertThat(bad.diagnostics()).isNotEmpty().allSatisfy(d -> {
      assertThat(d.severityAsString()).isEqualTo("ERROR");
      assertThat(d.code()).isNotBlank();
      assertThat(d.location()).startsWith("/");
    });
    assertThat(bad.diagnostics()).anySatisfy(d -> assertThat(d.code()).isEqualTo("MISSING_TRANSITION_TARGET"));
  }

  @Test
  void refusesWhatAwsRefusesWithItsErrorNames() {
    String machine = create(unique("errors"), PASS);
    String missingMachine = "arn:aws:states:us-east-1:000000000000:stateMachine:" + unique("nope");
    String missingExecution = "arn:aws:states:us-east-1:000000000000:execution:nope:" + unique("nope");

    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(missingMachine)))
        .isInstanceOf(StateMachineDoesNotExistException.class).hasMessageContaining(missingMachine);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(missingMachine)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(missingExecution)))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(missingExecution)))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(machine)))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("x").definition(PASS).roleArn("role")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("bad name").definition(PASS).roleArn(ROLE)))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("a/b")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input("{not json")))
        .isInstanceOf(InvalidExecutionInputException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("invalid")).roleArn(ROLE).definition("""
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}""")))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("/States/A/Next");
    String name = machine.substring(machine.lastIndexOf(':') + 1);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(name).definition(WAIT).roleArn(ROLE)))
        .isInstanceOf(StateMachineAlreadyExistsException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("express")).definition(PASS).roleArn(ROLE)
        .type(StateMachineType.EXPRESS)))
        .isInstanceOf(StateMachineTypeNotSupportedException.class);
    assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(machine)))
        .isInstanceOf(MissingRequiredParameterException.class);
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(5000)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(machine).nextToken("forged")))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("never-issued").output("{}")))
        .isInstanceOf(TaskDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.definition(PASS).roleArn(ROLE)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("'name'");

    String running = sfn.startExecution(b -> b.stateMachineArn(create(unique("running"), WAIT))).executionArn();
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(running)))
        .isInstanceOf(ExecutionNotRedrivableException.class);
    sfn.stopExecution(b -> b.executionArn(running));
  }

  @Test
  void rendersErrorsAsTheJsonProtocolDoes() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("X-Amz-Target", "AWSStepFunctions.DescribeExecution")
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString("{\"executionArn\": \"arn:aws:states:us-east-1:000000000000:execution:a:b\"}"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
    assertThat(response.body()).startsWith("{\"__type\":\"ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist:");

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("X-Amz-Target", "AWSStepFunctions.CreateActivity")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"__type\":\"UnknownOperationException\"");
    assertThatThrownBy(() -> sfn.createActivity(b -> b.name("a"))).isInstanceOf(SfnException.class)
        .hasMessageContaining("not supported");
  }

  @Test
  void runsVideoIngestWithInProcessFunctions() throws Exception {
    String prefix = unique("vi");
    Map<String, String> arns = new java.util.HashMap<>();
    for (String f : new String[] {"ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo"}) {
      arns.put(f + "Arn", "arn:aws:lambda:us-east-1:000000000000:function:" + prefix + "-" + f);
    }
    AtomicBoolean publishBroken = new AtomicBoolean(true);
    FUNCTIONS.put(prefix + "-ValidateUpload", p -> Map.of("outcome", "ACCEPTED", "videoId", "v-42", "ownerId", "o-1",
        "bucket", "media", "key", "uploads/o-1/v-42/source", "container", "MP4", "bytes", 1000, "etag", "e1"));
    FUNCTIONS.put(prefix + "-ExtractMetadata", p -> Map.of("outcome", "EXTRACTED", "videoId", "v-42", "ownerId", "o-1",
        "bucket", "media", "key", "uploads/o-1/v-42/source",
        "metadata", Map.of("durationSeconds", 1, "width", 160, "height", 90)));
    FUNCTIONS.put(prefix + "-SubmitTranscode", p -> {
      String token = (String) ((Map<?, ?>) p).get("taskToken");
      // As transcodeCompleted will, on MediaConvert's COMPLETE event: through the API.
      new Thread(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output(
          "{\"bucket\": \"media\", \"playlistKey\": \"v-42/hls/index.m3u8\", \"mp4Key\": \"v-42/v.mp4\","
              + " \"thumbnailKey\": \"v-42/t.jpg\", \"renditions\": []}"))).start();
      return Map.of("jobId", "job-1");
    });
    FUNCTIONS.put(prefix + "-AttachCaptions", p -> Map.of("captions", List.of()));
    FUNCTIONS.put(prefix + "-PublishVideo", p -> {
      if (publishBroken.get()) {
        throw new TaskInvoker.TaskFailure("java.lang.IllegalStateException", "{\"errorMessage\":\"bug\"}");
      }
      return Map.of("videoId", "v-42", "status", "READY");
    });
    StateMachineDefinitions.Loaded loaded = StateMachineDefinitions.load("video-ingest", arns);
    String machine = create(prefix + "-video-ingest", loaded.json());
    String event = """
        {"detail-type": "Object Created", "source": "aws.s3",
         "detail": {"bucket": {"name": "media"}, "object": {"key": "uploads/o-1/v-42/source", "etag": "e1", "sequencer": "01"}}}""";

    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("v-42").input(event)).executionArn();
    DescribeExecutionResponse failed = await(arn);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException");

    publishBroken.set(false);
    sfn.redriveExecution(b -> b.executionArn(arn));
    DescribeExecutionResponse done = await(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("\"status\":\"READY\"");
    List<HistoryEvent> events = history(arn);
    assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_STATE_ENTERED)
        .map(e -> e.stateEnteredEventDetails().name()))
        .containsExactlyInAnyOrder("Validate", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "Publish", "Publish");
    assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.TASK_SUBMITTED,
        HistoryEventType.EXECUTION_REDRIVEN);
  }
}
