package videopipe.localstack.stepfunctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.stepfunctions.StepFunctionsException.Code;
import videopipe.statemachines.asl.Definition;
import videopipe.statemachines.asl.InvalidDefinition;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.Problem;
import videopipe.statemachines.engine.Engine;
import videopipe.statemachines.engine.Execution;
import videopipe.statemachines.engine.ExecutionStatus;
import videopipe.statemachines.engine.HistoryEvent;
import videopipe.statemachines.engine.RequestRejected;
import videopipe.statemachines.engine.StateMachine;

/**
 * The Step Functions operations over the engine, one method per {@code X-Amz-Target}, JSON in and
 * JSON out in the API reference's shapes. It keeps what the engine does not: the registry of state
 * machines (name, definition text, type, dates) and, per state machine, its executions in start
 * order for ListExecutions. Everything else (executions, histories, task tokens) is the engine's.
 *
 * <p>Timestamps are epoch seconds with a fraction, as the JSON protocol sends them. Page tokens are
 * opaque to the caller and point at a fixed position (an execution's place in its machine's start
 * order, an event id), so that executions started or events added meanwhile never shift a page.
 */
final class StepFunctionsApi {

  static final JsonMapper JSON = Json.MAPPER;
  /** The default and the largest page of ListStateMachines, ListExecutions and GetExecutionHistory. */
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  /** AWS's name rule for state machines and executions. */
  private static final Pattern BAD_NAME = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/\\S+");

  private final Engine engine;
  private final String region;
  private final String account;
  private final Clock clock;
  private final Map<String, Machine> machines = new ConcurrentHashMap<>();
  /** Where the registry of state machines is journaled (JSON lines, each the whole machine, or its deletion), or null. */
  private final Path registry;

  StepFunctionsApi(Engine engine, String region, String account, Clock clock) {
    this(engine, region, account, clock, null);
  }

  StepFunctionsApi(Engine engine, String region, String account, Clock clock, Path registry) {
    this.engine = engine;
    this.region = region;
    this.account = account;
    this.clock = clock;
    this.registry = registry;
  }

  /**
   * Reads the registry back (the last line about each machine wins) and then the executions the
   * engine recovered, in start order, into each machine's list. Returns what could not be read.
   */
  List<String> restore(List<Execution> executions) {
    List<String> problems = new ArrayList<>();
    if (registry != null && Files.exists(registry)) {
      List<String> lines;
      try {
        lines = Files.readAllLines(registry, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the state machines' registry " + registry, e);
      }
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          JsonNode line = JSON.readTree(lines.get(i));
          String arn = line.get("arn").asString();
          if (line.path("deleted").asBoolean(false)) {
            machines.remove(arn);
            continue;
          }
          String name = line.get("name").asString();
          String definition = line.get("definition").asString();
          Machine m = new Machine(name, arn, line.get("type").asString(), Instant.parse(line.get("creationDate").asString()),
              engine.register(name, Definition.parse(definition), line.get("roleArn").asString(), definition), definition);
          m.updateDate = line.hasNonNull("updateDate") ? Instant.parse(line.get("updateDate").asString()) : null;
          machines.put(arn, m);
        } catch (RuntimeException e) {
          problems.add(registry + ": line " + (i + 1) + " is not a readable state machine (" + e
              + (i == lines.size() - 1 ? "; cut short by a crash while it was written?" : "") + "): skipped");
        }
      }
    }
    for (Execution e : executions) {
      Machine m = machines.get(e.stateMachineArn());
      if (m != null) {
        m.started(e.arn());
      }
    }
    return problems;
  }

  /** Appends the machine as it now is (or its deletion) to the registry, on the disk before the call returns. */
  private void record(Machine m, boolean deleted) {
    if (registry == null) {
      return;
    }
    ObjectNode line = object().put("arn", m.arn);
    if (deleted) {
      line.put("deleted", true);
    } else {
      line.put("name", m.name).put("type", m.type).put("roleArn", m.model.roleArn()).put("definition", m.definition)
          .put("creationDate", m.creationDate.toString())
          .put("updateDate", m.updateDate == null ? null : m.updateDate.toString());
    }
    byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try (FileChannel out = FileChannel.open(registry, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        out.write(ByteBuffer.wrap(bytes));
        out.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the state machines' registry " + registry, e);
      }
    }
  }

  /** A registered state machine; its definition and role change only by UpdateStateMachine. */
  private static final class Machine {
    final String name;
    final String arn;
    final String type;
    final Instant creationDate;
    volatile StateMachine model;
    volatile String definition;
    volatile Instant updateDate;
    /** Execution ARNs in start order (an index into this list is a ListExecutions page token). */
    private final List<String> executions = new ArrayList<>();
    private final Set<String> known = new HashSet<>();

    Machine(String name, String arn, String type, Instant creationDate, StateMachine model, String definition) {
      this.name = name;
      this.arn = arn;
      this.type = type;
      this.creationDate = creationDate;
      this.model = model;
      this.definition = definition;
    }

    synchronized void started(String executionArn) {
      if (known.add(executionArn)) {
        executions.add(executionArn);
      }
    }

    synchronized List<String> executions() {
      return List.copyOf(executions);
    }
  }

  JsonNode dispatch(String operation, JsonNode request) {
    return switch (operation) {
      case "CreateStateMachine" -> createStateMachine(request);
      case "DescribeStateMachine" -> describeStateMachine(request);
      case "ListStateMachines" -> listStateMachines(request);
      case "UpdateStateMachine" -> updateStateMachine(request);
      case "DeleteStateMachine" -> deleteStateMachine(request);
      case "ValidateStateMachineDefinition" -> validateDefinition(request);
      case "StartExecution" -> startExecution(request);
      case "DescribeExecution" -> describeExecution(request);
      case "ListExecutions" -> listExecutions(request);
      case "GetExecutionHistory" -> executionHistory(request);
      case "StopExecution" -> stopExecution(request);
      case "RedriveExecution" -> redriveExecution(request);
      case "SendTaskSuccess" -> {
        String token = taskToken(request);
        String output = required(request, "output");
        limit("output", output, 256 * 1024);
        refused(() -> engine.sendTaskSuccess(token, output));
        yield object();
      }
      case "SendTaskFailure" -> {
        String token = taskToken(request);
        String error = limit("error", text(request, "error"), 256);
        String cause = limit("cause", text(request, "cause"), 32768);
        refused(() -> engine.sendTaskFailure(token, error, cause));
        yield object();
      }
      case "SendTaskHeartbeat" -> {
        String token = taskToken(request);
        refused(() -> engine.sendTaskHeartbeat(token));
        yield object();
      }
      default -> throw new StepFunctionsException(Code.UnknownOperationException,
          "Operation " + operation + " is not supported by the local Step Functions");
    };
  }

  // ---- state machines ----

  private JsonNode createStateMachine(JsonNode request) {
    String name = required(request, "name");
    checkName(name);
    String definitionText = required(request, "definition");
    String roleArn = roleArn(request);
    String type = type(request);
    Definition definition = parse(definitionText);
    String arn = "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name;
    Machine created = new Machine(name, arn, type, clock.instant(), engine.register(name, definition, roleArn, definitionText),
        definitionText);
    Machine existing = machines.putIfAbsent(arn, created);
    if (existing == null) {
      record(created, false);
    } else {
      // CreateStateMachine is idempotent on AWS: the same name with the same settings is the same machine.
      if (!existing.definition.equals(definitionText) || !existing.model.roleArn().equals(roleArn)
          || !existing.type.equals(type)) {
        throw new StepFunctionsException(Code.StateMachineAlreadyExists, "State Machine Already Exists: '" + arn + "'");
      }
      created = existing;
    }
    return object().put("stateMachineArn", arn).set("creationDate", timestamp(created.creationDate));
  }

  private JsonNode describeStateMachine(JsonNode request) {
    Machine m = machine(required(request, "stateMachineArn"));
    ObjectNode out = object()
        .put("stateMachineArn", m.arn)
        .put("name", m.name)
        .put("status", "ACTIVE")
        .put("definition", m.definition)
        .put("roleArn", m.model.roleArn())
        .put("type", m.type);
    out.set("creationDate", timestamp(m.creationDate));
    out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
    out.putObject("tracingConfiguration").put("enabled", false);
    return out;
  }

  private JsonNode listStateMachines(JsonNode request) {
    int max = pageSize(request);
    List<Machine> all = new ArrayList<>(machines.values());
    all.sort(Comparator.comparing((Machine m) -> m.name));
    int from = 0;
    String token = text(request, "nextToken");
    if (token != null) {
      // The token names the first machine of the next page: a deleted machine does not shift the pages.
      String first = decodeToken("machines", token);
      while (from < all.size() && all.get(from).name.compareTo(first) < 0) {
        from++;
      }
    }
    ObjectNode out = object();
    ArrayNode list = out.putArray("stateMachines");
    int to = Math.min(all.size(), from + max);
    for (Machine m : all.subList(from, to)) {
      ObjectNode item = list.addObject().put("stateMachineArn", m.arn).put("name", m.name).put("type", m.type);
      item.set("creationDate", timestamp(m.creationDate));
    }
    if (to < all.size()) {
      out.put("nextToken", encodeToken("machines", all.get(to).name));
    }
    return out;
  }

  private JsonNode updateStateMachine(JsonNode request) {
    Machine m = machine(required(request, "stateMachineArn"));
    String definitionText = text(request, "definition");
    String roleArn = text(request, "roleArn") == null ? null : roleArn(request);
    if (definitionText == null && roleArn == null) {
      throw new StepFunctionsException(Code.MissingRequiredParameter,
          "Either the definition or the roleArn must be specified");
    }
    synchronized (m) {
      // Running executions keep the definition they started with, as on AWS.
      Definition definition = definitionText == null ? m.model.definition() : parse(definitionText);
      String source = definitionText == null ? m.definition : definitionText;
      m.model = engine.register(m.name, definition, roleArn == null ? m.model.roleArn() : roleArn, source);
      m.definition = source;
      m.updateDate = clock.instant();
      record(m, false);
      return object().set("updateDate", timestamp(m.updateDate));
    }
  }

  private JsonNode deleteStateMachine(JsonNode request) {
    String arn = required(request, "stateMachineArn");
    checkArn(arn, "stateMachine");
    // Deleting a machine that does not exist succeeds on AWS. Its executions stay describable.
    Machine removed = machines.remove(arn);
    if (removed != null) {
      record(removed, true);
    }
    return object();
  }

  private JsonNode validateDefinition(JsonNode request) {
    String definitionText = required(request, "definition");
    type(request);
    int max = request.path("maxResults").asInt(0);
    if (max < 0 || max > 100) {
      throw validation("maxResults", "Member must have value between 0 and 100");
    }
    max = max == 0 ? 100 : max;
    ObjectNode out = object();
    ArrayNode diagnostics = out.putArray("diagnostics");
    List<Problem> problems;
    try {
      Definition.parse(definitionText);
      problems = List.of();
    } catch (InvalidDefinition e) {
      problems = e.problems();
    }
    for (Problem p : problems.subList(0, Math.min(max, problems.size()))) {
      diagnostics.addObject().put("severity", "ERROR").put("code", p.code()).put("message", p.message())
          .put("location", p.location());
    }
    out.put("result", problems.isEmpty() ? "OK" : "FAIL");
    out.put("truncated", problems.size() > max);
    return out;
  }

  // ---- executions ----

  private JsonNode startExecution(JsonNode request) {
    Machine m = machine(required(request, "stateMachineArn"));
    String name = text(request, "name");
    String input = text(request, "input");
    if (input != null) {
      limit("input", input, 256 * 1024);
    }
    Execution started = rejected(() -> engine.start(m.model, name == null ? UUID.randomUUID().toString() : name, input));
    m.started(started.arn());
    return object().put("executionArn", started.arn()).set("startDate", timestamp(started.startDate()));
  }

  private JsonNode describeExecution(JsonNode request) {
    Execution e = execution(required(request, "executionArn"));
    ObjectNode out = object()
        .put("executionArn", e.arn())
        .put("stateMachineArn", e.stateMachineArn())
        .put("name", e.name())
        .put("status", e.status().name());
    out.set("startDate", timestamp(e.startDate()));
    if (e.stopDate() != null) {
      out.set("stopDate", timestamp(e.stopDate()));
    }
    out.put("input", Json.write(e.input()));
    out.putObject("inputDetails").put("included", true);
    if (e.status() == ExecutionStatus.SUCCEEDED) {
      out.put("output", Json.write(e.output()));
      out.putObject("outputDetails").put("included", true);
    }
    e.error().ifPresent(error -> {
      if (error.error() != null) {
        out.put("error", error.error());
      }
      if (error.cause() != null) {
        out.put("cause", error.cause());
      }
    });
    out.put("redriveCount", e.redriveCount());
    if (e.redriveDate() != null) {
      out.set("redriveDate", timestamp(e.redriveDate()));
    }
    out.put("redriveStatus", e.redrivable() ? "REDRIVABLE" : "NOT_REDRIVABLE");
    if (!e.redrivable()) {
      out.put("redriveStatusReason", "Execution is " + e.status() + " and cannot be redriven");
    }
    return out;
  }

  private JsonNode listExecutions(JsonNode request) {
    if (text(request, "mapRunArn") != null) {
      throw validation("mapRunArn", "Distributed Map runs are not supported by the local Step Functions");
    }
    Machine m = machine(required(request, "stateMachineArn"));
    String statusFilter = text(request, "statusFilter");
    if (statusFilter != null && !enumHas(ExecutionStatus.class, statusFilter)) {
      throw validation("statusFilter", "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, "
          + "ABORTED, PENDING_REDRIVE]");
    }
    String redriveFilter = text(request, "redriveFilter");
    if (redriveFilter != null && !redriveFilter.equals("REDRIVEN") && !redriveFilter.equals("NOT_REDRIVEN")) {
      throw validation("redriveFilter", "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]");
    }
    int max = pageSize(request);
    List<String> arns = m.executions();
    // Newest first, as AWS lists them; the token is the position, in start order, of the next one.
    int from = arns.size() - 1;
    String token = text(request, "nextToken");
    if (token != null) {
      from = index(decodeToken("executions", token), arns.size());
    }
    ObjectNode out = object();
    ArrayNode list = out.putArray("executions");
    int i = from;
    for (; i >= 0; i--) {
      Execution e = engine.summary(arns.get(i)); // no history: listing must not copy them
      if (statusFilter != null && !e.status().name().equals(statusFilter)
          || "REDRIVEN".equals(redriveFilter) && e.redriveCount() == 0
          || "NOT_REDRIVEN".equals(redriveFilter) && e.redriveCount() > 0) {
        continue;
      }
      if (list.size() == max) {
        out.put("nextToken", encodeToken("executions", Integer.toString(i)));
        break;
      }
      ObjectNode item = list.addObject()
          .put("executionArn", e.arn()).put("stateMachineArn", e.stateMachineArn()).put("name", e.name())
          .put("status", e.status().name());
      item.set("startDate", timestamp(e.startDate()));
      if (e.stopDate() != null) {
        item.set("stopDate", timestamp(e.stopDate()));
      }
      item.put("redriveCount", e.redriveCount());
      if (e.redriveDate() != null) {
        item.set("redriveDate", timestamp(e.redriveDate()));
      }
    }
    return out;
  }

  private JsonNode executionHistory(JsonNode request) {
    String arn = required(request, "executionArn");
    checkArn(arn, "execution");
    Execution e = rejected(() -> engine.describe(arn));
    int max = pageSize(request);
    boolean reverse = request.path("reverseOrder").asBoolean(false);
    boolean includeData = request.path("includeExecutionData").asBoolean(true);
    List<HistoryEvent> events = e.history();
    int from = reverse ? events.size() - 1 : 0;
    String token = text(request, "nextToken");
    if (token != null) {
      from = index(decodeToken("history", token), events.size());
    }
    ObjectNode out = object();
    ArrayNode list = out.putArray("events");
    int step = reverse ? -1 : 1;
    int i = from;
    for (; i >= 0 && i < events.size() && list.size() < max; i += step) {
      list.add(event(events.get(i), includeData));
    }
    if (i >= 0 && i < events.size()) {
      out.put("nextToken", encodeToken("history", Integer.toString(i)));
    }
    return out;
  }

  private JsonNode stopExecution(JsonNode request) {
    String arn = required(request, "executionArn");
    String error = limit("error", text(request, "error"), 256);
    String cause = limit("cause", text(request, "cause"), 32768);
    execution(arn);
    Execution stopped = rejected(() -> engine.stop(arn, error, cause));
    return object().set("stopDate", timestamp(stopped.stopDate() != null ? stopped.stopDate() : clock.instant()));
  }

  private JsonNode redriveExecution(JsonNode request) {
    String arn = required(request, "executionArn");
    execution(arn);
    Execution redriven = rejected(() -> engine.redrive(arn));
    return object().set("redriveDate", timestamp(redriven.redriveDate()));
  }

  // ---- shapes ----

  /** One history event as GetExecutionHistory returns it, its details under AWS's member name. */
  private static ObjectNode event(HistoryEvent event, boolean includeData) {
    ObjectNode node = object();
    node.set("timestamp", timestamp(event.timestamp()));
    node.put("type", event.type());
    node.put("id", event.id());
    node.put("previousEventId", event.previousEventId());
    if (event.detailsName() != null) {
      ObjectNode details = JSON.valueToTree(event.details());
      if (!includeData) {
        details.remove("input");
        details.remove("output");
      }
      node.set(event.detailsName(), details);
    }
    return node;
  }

  /** Epoch seconds with milliseconds, as the JSON protocol sends timestamps. */
  static JsonNode timestamp(Instant instant) {
    return JSON.getNodeFactory().numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  // ---- lookups and checks ----

  private Machine machine(String arn) {
    checkArn(arn, "stateMachine");
    Machine m = machines.get(arn);
    if (m == null) {
      throw new StepFunctionsException(Code.StateMachineDoesNotExist, "State Machine Does Not Exist: '" + arn + "'");
    }
    return m;
  }

  /** The execution without its history (see {@link Engine#summary}). */
  private Execution execution(String arn) {
    checkArn(arn, "execution");
    return rejected(() -> engine.summary(arn));
  }

  /** Step Functions ARNs: {@code arn:<partition>:states:<region>:<account>:<resourceType>:<name>[:…]}. */
  private static void checkArn(String arn, String resourceType) {
    String[] parts = arn.split(":", -1);
    if (parts.length < 7 || !parts[0].equals("arn") || !parts[1].startsWith("aws") || !parts[2].equals("states")
        || parts[3].isEmpty() || !parts[4].matches("\\d{12}") || parts[6].isEmpty()) {
      throw new StepFunctionsException(Code.InvalidArn, "Invalid Arn: '" + arn + "'");
    }
    if (!parts[5].equals(resourceType)) {
      throw new StepFunctionsException(Code.InvalidArn,
          "Invalid Arn: 'Resource type not valid in this context: " + parts[5] + "'");
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.length() > 80 || BAD_NAME.matcher(name).find()) {
      throw new StepFunctionsException(Code.InvalidName, "Invalid Name: '" + name + "'");
    }
  }

  private static String roleArn(JsonNode request) {
    String roleArn = required(request, "roleArn");
    if (!ROLE_ARN.matcher(roleArn).matches()) {
      throw new StepFunctionsException(Code.InvalidArn, "Invalid Arn: 'Invalid role ARN: " + roleArn + "'");
    }
    return roleArn;
  }

  /**
   * STANDARD only: EXPRESS workflows run differently on AWS (at-least-once, no history, no
   * redrive), so running one as STANDARD here would be a silent difference.
   */
  private static String type(JsonNode request) {
    String type = text(request, "type");
    if (type == null || type.equals("STANDARD")) {
      return "STANDARD";
    }
    if (type.equals("EXPRESS")) {
      throw new StepFunctionsException(Code.StateMachineTypeNotSupported,
          "The local Step Functions runs STANDARD state machines only; EXPRESS is not supported");
    }
    throw validation("type", "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  }

  private static Definition parse(String definitionText) {
    try {
      return Definition.parse(definitionText);
    } catch (InvalidDefinition e) {
      throw new StepFunctionsException(Code.InvalidDefinition, e.getMessage());
    }
  }

  private static String taskToken(JsonNode request) {
    String token = text(request, "taskToken");
    if (token == null) {
      throw validation("taskToken", "Member must not be null");
    }
    return token;
  }

  private static int pageSize(JsonNode request) {
    int max = request.path("maxResults").asInt(0);
    if (max < 0 || max > MAX_PAGE) {
      throw validation("maxResults", "Member must have value less than or equal to " + MAX_PAGE);
    }
    return max == 0 ? DEFAULT_PAGE : max;
  }

  private static String required(JsonNode request, String field) {
    String value = text(request, field);
    if (value == null) {
      throw validation(field, "Member must not be null");
    }
    return value;
  }

  private static String limit(String field, String value, int maxLength) {
    if (value != null && value.length() > maxLength) {
      throw validation(field, "Member must have length less than or equal to " + maxLength);
    }
    return value;
  }

  /** AWS's wording for a request that breaks the API's model. */
  private static StepFunctionsException validation(String field, String constraint) {
    return new StepFunctionsException(Code.ValidationException,
        "1 validation error detected: Value at '" + field + "' failed to satisfy constraint: " + constraint);
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static <E extends Enum<E>> boolean enumHas(Class<E> type, String name) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Page tokens: the kind of list and a position, base64url, refused as InvalidToken if forged. */
  private static String encodeToken(String kind, String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String kind, String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(kind + ":")) {
        return decoded.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException notBase64) {
      // refused below
    }
    throw new StepFunctionsException(Code.InvalidToken, "Invalid Token: '" + token + "'");
  }

  private static int index(String position, int size) {
    try {
      int i = Integer.parseInt(position);
      if (i >= 0 && i < size) {
        return i;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new StepFunctionsException(Code.InvalidToken, "Invalid Token: the page it points at does not exist");
  }

  /** The engine's refusals, under the same codes. */
  private static <T> T rejected(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RequestRejected e) {
      throw new StepFunctionsException(Code.valueOf(e.code().name()), e.getMessage());
    }
  }

  private static void refused(Runnable call) {
    rejected(() -> {
      call.run();
      return null;
    });
  }
}
