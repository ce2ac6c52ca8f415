package videopipe.localstack.eventbridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.Machine;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.Loopback;

/**
 * A local EventBridge: event buses that take {@code PutEvents} over the service's JSON protocol
 * (so the AWS SDK's {@code EventBridgeClient} works against it unchanged), keep every event they
 * receive, and deliver each to the subscribers whose event pattern matches, matched by AWS Event
 * Ruler, the library EventBridge itself uses. The {@code default} bus always exists.
 *
 * <p>Delivery runs on a background thread, as on AWS: {@code PutEvents} returns once the events are
 * accepted, not once targets ran.
 */
public final class EventBridgeEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventBridgeEmulator.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** PutEvents takes at most this many entries per call (the AWS quota). */
  static final int MAX_ENTRIES = 10;
  /** An entry's size limit on AWS (256 KiB, counted over the entry's fields). */
  static final int MAX_ENTRY_BYTES = 256 * 1024;

  /** Set once by {@link #start}, before the emulator is handed out. */
  private HttpServer server;
  private final ExecutorService delivery;
  private final String region;
  private final String account;
  private final Clock clock;
  private final Map<String, Bus> buses = new ConcurrentHashMap<>();
  private final AtomicLong ruleIds = new AtomicLong();

  private EventBridgeEmulator(String region, String account, Clock clock) {
    this.region = region;
    this.account = account;
    this.clock = clock;
    this.delivery = Executors.newSingleThreadExecutor(Loopback.daemons("eventbridge-delivery"));
    buses.put("default", new Bus("default"));
  }

  /** Starts on 127.0.0.1 at {@code port} (0 for any free port). */
  public static EventBridgeEmulator start(int port, String region, String account) throws IOException {
    EventBridgeEmulator emulator = new EventBridgeEmulator(region, account, Clock.systemUTC());
    emulator.server = Loopback.serve(port, "eventbridge-http", 4, emulator::handle);
    return emulator;
  }

  public URI endpoint() {
    return Loopback.endpoint(server);
  }

  public String busArn(String name) {
    return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
  }

  /** Creates a bus; creating one that exists is refused, as on AWS. */
  public void createBus(String name) {
    if (name == null || !name.matches("[/.\\-_A-Za-z0-9]{1,256}")) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException, "invalid event bus name: " + name);
    }
    if (buses.putIfAbsent(name, new Bus(name)) != null) {
      throw new EventBridgeException(EventBridgeException.Code.ResourceAlreadyExistsException,
          "Event bus " + name + " already exists.");
    }
  }

  /**
   * Delivers every later event on {@code bus} that matches {@code eventPattern} (EventBridge
   * pattern syntax) to {@code target}, as the event's JSON. Closing the subscription stops it.
   */
  public AutoCloseable subscribe(String bus, String eventPattern, Consumer<String> target) {
    Bus b = bus(bus);
    String rule = "rule-" + ruleIds.incrementAndGet();
    try {
      synchronized (b.machine) {
        b.machine.addRule(rule, eventPattern);
      }
    } catch (Exception e) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException,
          "Event pattern is not valid: " + e.getMessage());
    }
    b.targets.put(rule, target);
    return () -> {
      b.targets.remove(rule);
      synchronized (b.machine) {
        b.machine.deleteRule(rule, eventPattern);
      }
    };
  }

  /**
   * Puts one event on {@code bus} as a PutEvents entry would, for the local stack's own services
   * that emit events the way AWS services do (the local MediaConvert's job state changes). Returns
   * the event's id.
   */
  public String putEvent(String bus, String source, String detailType, List<String> resources, String detail) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("EventBusName", bus);
    entry.put("Source", source);
    entry.put("DetailType", detailType);
    entry.put("Detail", detail);
    ArrayNode r = entry.putArray("Resources");
    resources.forEach(r::add);
    Accepted accepted = accept(entry);
    delivery.execute(() -> deliver(accepted.bus(), accepted.json()));
    return accepted.id();
  }

  /** Every event put on {@code bus} so far, oldest first, as JSON. */
  public List<String> events(String bus) {
    return List.copyOf(bus(bus).log);
  }

  private Bus bus(String nameOrArn) {
    String name = nameOrArn == null || nameOrArn.isEmpty() ? "default"
        : nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    Bus b = buses.get(name);
    if (b == null) {
      throw new EventBridgeException(EventBridgeException.Code.ResourceNotFoundException,
          "Event bus " + name + " does not exist.");
    }
    return b;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      byte[] response;
      int status = 200;
      try {
        JsonNode request = readRequest(exchange.getRequestBody());
        response = JSON.writeValueAsBytes(dispatch(target, request));
      } catch (EventBridgeException e) {
        status = e.code.status;
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", e.code.name());
        error.put("message", e.getMessage());
        response = JSON.writeValueAsBytes(error);
      } catch (RuntimeException e) {
        log.error("EventBridge emulator failed on {}", target, e);
        status = 500;
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", EventBridgeException.Code.InternalException.name());
        error.put("message", String.valueOf(e.getMessage()));
        response = JSON.writeValueAsBytes(error);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(status, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  private static JsonNode readRequest(InputStream body) throws IOException {
    byte[] bytes = body.readAllBytes();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (!node.isObject()) {
        throw new EventBridgeException(EventBridgeException.Code.SerializationException, "request body is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new EventBridgeException(EventBridgeException.Code.SerializationException, "request body is not JSON");
    }
  }

  private JsonNode dispatch(String target, JsonNode request) {
    if (target == null || !target.startsWith("AWSEvents.")) {
      throw new EventBridgeException(EventBridgeException.Code.UnknownOperationException,
          "missing or foreign X-Amz-Target: " + target);
    }
    return switch (target.substring("AWSEvents.".length())) {
      case "PutEvents" -> putEvents(request);
      case "CreateEventBus" -> {
        String name = request.path("Name").asString(null);
        createBus(name);
        yield JSON.createObjectNode().put("EventBusArn", busArn(name));
      }
      case "DescribeEventBus" -> {
        Bus b = bus(request.path("Name").asString(null));
        yield JSON.createObjectNode().put("Name", b.name).put("Arn", busArn(b.name));
      }
      case "ListEventBuses" -> {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("EventBuses");
        buses.keySet().stream().sorted()
            .forEach(n -> list.addObject().put("Name", n).put("Arn", busArn(n)));
        yield out;
      }
      default -> throw new EventBridgeException(EventBridgeException.Code.UnknownOperationException,
          "operation " + target + " is not supported by the local EventBridge");
    };
  }

  private JsonNode putEvents(JsonNode request) {
    JsonNode entries = request.path("Entries");
    if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException,
          "Entries must hold between 1 and " + MAX_ENTRIES + " entries");
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode results = response.putArray("Entries");
    int failed = 0;
    for (JsonNode entry : entries) {
      ObjectNode result = results.addObject();
      try {
        Accepted accepted = accept(entry);
        result.put("EventId", accepted.id());
        delivery.execute(() -> deliver(accepted.bus(), accepted.json()));
      } catch (EventBridgeException e) {
        failed++;
        result.put("ErrorCode", e.code == EventBridgeException.Code.ResourceNotFoundException ? "NotFound" : "InvalidArgument");
        result.put("ErrorMessage", e.getMessage());
      }
    }
    response.put("FailedEntryCount", failed);
    return response;
  }

  private record Accepted(Bus bus, String id, String json) {}

  private Accepted accept(JsonNode entry) {
    String source = text(entry, "Source");
    String detailType = text(entry, "DetailType");
    String detail = text(entry, "Detail");
    if (source == null || detailType == null || detail == null) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException,
          "Source, DetailType and Detail are required");
    }
    if (entry.toString().getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException, "Total size of the entry exceeds 256KB");
    }
    JsonNode detailJson;
    try {
      detailJson = JSON.readTree(detail);
    } catch (JacksonException e) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException, "Detail is malformed.");
    }
    if (!detailJson.isObject()) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException, "Detail is malformed.");
    }
    Bus bus = bus(text(entry, "EventBusName"));
    String id = UUID.randomUUID().toString();
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", id);
    event.put("detail-type", detailType);
    event.put("source", source);
    event.put("account", account);
    event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    ArrayNode resources = event.putArray("resources");
    entry.path("Resources").forEach(r -> resources.add(r.asString()));
    event.set("detail", detailJson);
    String json = JSON.writeValueAsString(event);
    bus.log.add(json);
    return new Accepted(bus, id, json);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private void deliver(Bus bus, String event) {
    List<String> rules;
    try {
      synchronized (bus.machine) {
        rules = new ArrayList<>(bus.machine.rulesForJSONEvent(event));
      }
    } catch (Exception e) {
      log.warn("could not match an event on bus {}: {}", bus.name, e.toString());
      return;
    }
    for (String rule : rules) {
      Consumer<String> target = bus.targets.get(rule);
      if (target == null) {
        continue;
      }
      try {
        target.accept(event);
      } catch (RuntimeException e) {
        log.warn("target of {} on bus {} failed: {}", rule, bus.name, e.toString());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    delivery.shutdown();
    try {
      delivery.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Bus {
    final String name;
    final Machine machine = new Machine();
    final Map<String, Consumer<String>> targets = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    Bus(String name) {
      this.name = name;
    }
  }
}
