package videopipe.localstack.eventbridge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import videopipe.localstack.JsonProtocol;
import videopipe.localstack.Loopback;

/**
 * A local EventBridge: event buses that take {@code PutEvents} over the service's JSON protocol
 * (so the AWS SDK's {@code EventBridgeClient} works against it unchanged), keep every event they
 * receive, and deliver each to the subscribers whose event pattern matches, matched by AWS Event
 * Ruler, the library EventBridge itself uses. The {@code default} bus always exists.
 *
 * <p>Delivery runs on a background thread, as on AWS: {@code PutEvents} returns once the events are
 * accepted, not once targets ran. A rule's {@link Target} that refuses an event is retried as
 * EventBridge does: retriable errors (throttling, 5xx, connection failures) with exponential
 * back-off and jitter ({@link Backoff}) until its {@link RetryPolicy} runs out, then the event goes
 * to the target's {@link DeadLetterQueue} with the attributes AWS adds; other errors go there at
 * once. The first attempt runs in the order events were put; retries run on their own threads.
 *
 * <p>With a data directory, each delivery waiting for a retry is also a record in its {@code
 * pending-retries/} ({@link PendingRetryStore}), so a stop loses none: after a restart on the
 * directory it resumes when its rule is put again with the same target (targets are Java objects,
 * which only the rule's owner can give back). In memory, retries still pending when the emulator
 * closes are lost (as the stack's process ends), which the close logs.
 */
public final class EventBridgeEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventBridgeEmulator.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonProtocol.Service SERVICE = new JsonProtocol.Service("EventBridge", "AWSEvents.",
      "application/x-amz-json-1.1", EventBridgeException.Code.UnknownOperationException,
      EventBridgeException.Code.SerializationException, EventBridgeException.Code.InternalException);
  /** PutEvents takes at most this many entries per call (the AWS quota). */
  static final int MAX_ENTRIES = 10;
  /** An entry's size limit on AWS (256 KiB, counted over the entry's fields). */
  static final int MAX_ENTRY_BYTES = 256 * 1024;

  /**
   * How the emulator runs.
   *
   * @param port 0 for any free port
   * @param backoff the delays between a target's retries
   * @param dataDirectory where dead-letter queues keep their messages
   *     ({@code dead-letter-queues/<name>.jsonl}) and deliveries waiting for a retry their records
   *     ({@code pending-retries/}), or null for memory only
   */
  public record Options(int port, String region, String account, Backoff backoff, Path dataDirectory) {

    public static Options defaults(String region, String account) {
      return new Options(0, region, account, Backoff.DEFAULT, null);
    }

    public Options withPort(int port) {
      return new Options(port, region, account, backoff, dataDirectory);
    }

    public Options withBackoff(Backoff backoff) {
      return new Options(port, region, account, backoff, dataDirectory);
    }

    public Options withDataDirectory(Path dataDirectory) {
      return new Options(port, region, account, backoff, dataDirectory);
    }
  }

  /** Set once by {@link #start}, before the emulator is handed out. */
  private HttpServer server;
  private final ExecutorService delivery;
  private final ScheduledExecutorService retries;
  private final String region;
  private final String account;
  private final Clock clock;
  private final Backoff backoff;
  private final Path dataDirectory;
  private final Map<String, Bus> buses = new ConcurrentHashMap<>();
  private final Map<String, DeadLetterQueue> deadLetterQueues = new ConcurrentHashMap<>();
  private final AtomicLong ruleIds = new AtomicLong();
  private final AtomicInteger pendingRetries = new AtomicInteger();
  /** Where deliveries waiting for a retry are kept; null in memory. Set once by {@link #start}. */
  private PendingRetryStore store;
  /** Deliveries read back from {@link #store}, each waiting for its rule to be put again; guarded by itself. */
  private final List<PendingRetryStore.Pending> restored = new ArrayList<>();
  /** What could not be read back from the data directory at start. */
  private List<String> problems = List.of();

  private EventBridgeEmulator(Options options, Clock clock) {
    this.region = options.region();
    this.account = options.account();
    this.clock = clock;
    this.backoff = options.backoff();
    this.dataDirectory = options.dataDirectory();
    this.delivery = Executors.newSingleThreadExecutor(Loopback.daemons("eventbridge-delivery"));
    this.retries = Executors.newScheduledThreadPool(2, Loopback.daemons("eventbridge-retry"));
    buses.put("default", new Bus("default"));
  }

  /** Starts on 127.0.0.1 at {@code port} (0 for any free port), with the default back-off, in memory. */
  public static EventBridgeEmulator start(int port, String region, String account) throws IOException {
    return start(Options.defaults(region, account).withPort(port));
  }

  /**
   * Starts the API on 127.0.0.1. With a data directory, the deliveries a previous emulator left
   * waiting for a retry are read back first (a file that is not one is kept aside as {@code
   * *.unreadable} and logged, see {@link #dataDirProblems()}); each resumes when its rule is put.
   *
   * @throws IOException when the data directory cannot be read or is held by another emulator
   */
  public static EventBridgeEmulator start(Options options) throws IOException {
    return start(options, Clock.systemUTC());
  }

  /** {@link #start(Options)} on {@code clock}, which ages events and times retries: a test's restart hours later. */
  static EventBridgeEmulator start(Options options, Clock clock) throws IOException {
    EventBridgeEmulator emulator = new EventBridgeEmulator(options, clock);
    try {
      if (options.dataDirectory() != null) {
        emulator.restore(options.dataDirectory().resolve("pending-retries"));
      }
      emulator.server = Loopback.serve(options.port(), "eventbridge-http", 4,
          new JsonProtocol(SERVICE, JSON, emulator::dispatch));
      return emulator;
    } catch (IOException | RuntimeException e) {
      emulator.delivery.shutdownNow();
      emulator.retries.shutdownNow();
      if (emulator.store != null) {
        emulator.store.close();
      }
      throw e;
    }
  }

  private void restore(Path dir) throws IOException {
    PendingRetryStore opened = PendingRetryStore.open(dir);
    PendingRetryStore.Loaded loaded = opened.readBack();
    store = opened;
    problems = loaded.problems();
    problems.forEach(p -> log.warn("the local EventBridge's data directory: {}", p));
    restored.addAll(loaded.pending());
    log.info("the local EventBridge read back {} target deliveries waiting for a retry from {}; each resumes"
        + " when its rule is put again", restored.size(), dir);
  }

  /**
   * What could not be read back from the data directory at start (one sentence each, naming the
   * file and where it was kept aside); empty in memory or when every delivery was read.
   */
  public List<String> dataDirProblems() {
    return problems;
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

  /** The ARN of rule {@code name} on {@code bus}, as EventBridge writes it (the bus only when not default). */
  public String ruleArn(String bus, String name) {
    String b = bus(bus).name;
    return "arn:aws:events:" + region + ":" + account + ":rule/" + ("default".equals(b) ? "" : b + "/") + name;
  }

  /**
   * The dead-letter queue {@code name}, created on first use (on disk under the data directory when
   * the emulator has one, reloaded from there after a restart). Its ARN is an SQS ARN.
   */
  public DeadLetterQueue deadLetterQueue(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,80}")) {
      throw new IllegalArgumentException("invalid queue name (SQS: 1-80 of A-Za-z0-9_-): " + name);
    }
    return deadLetterQueues.computeIfAbsent(name, n -> {
      String arn = "arn:aws:sqs:" + region + ":" + account + ":" + n;
      return dataDirectory == null ? DeadLetterQueue.inMemory(arn)
          : DeadLetterQueue.onDisk(arn, dataDirectory.resolve("dead-letter-queues").resolve(n + ".jsonl"));
    });
  }

  /**
   * The dead-letter queue an SQS ARN of this region and account names ({@link #deadLetterQueue}
   * by its last segment), or null for another ARN: the resolver the local Lambda takes for
   * on-failure destinations given over its API.
   */
  public DeadLetterQueue deadLetterQueueForArn(String arn) {
    String prefix = "arn:aws:sqs:" + region + ":" + account + ":";
    if (arn == null || !arn.startsWith(prefix) || !arn.substring(prefix.length()).matches("[A-Za-z0-9_-]{1,80}")) {
      return null;
    }
    return deadLetterQueue(arn.substring(prefix.length()));
  }

  /**
   * A test's or a local service's observer: delivers every later event on {@code bus} that matches
   * {@code eventPattern} (EventBridge pattern syntax) to {@code consumer}, as the event's JSON. An
   * exception out of it is logged, not retried. Closing the subscription stops it.
   */
  public AutoCloseable subscribe(String bus, String eventPattern, Consumer<String> consumer) {
    String rule = "subscriber-" + ruleIds.incrementAndGet();
    return putRule(bus, rule, eventPattern, new Target("arn:videopipe:local:subscriber:" + rule, consumer,
        RetryPolicy.NONE, null));
  }

  /** {@link #putRule} under a generated rule name. */
  public AutoCloseable subscribe(String bus, String eventPattern, Target target) {
    return putRule(bus, "rule-" + ruleIds.incrementAndGet(), eventPattern, target);
  }

  /**
   * A rule named {@code rule} on {@code bus} with one target: every later event that matches
   * {@code eventPattern} is delivered to {@code target} with its retry policy and dead-letter queue.
   * A rule of that name on that bus is replaced. Closing the returned handle deletes the rule.
   *
   * <p>Deliveries to a target of this ARN by this rule that a previous emulator on the data
   * directory left waiting for a retry resume now, as if it had kept running: one due while it was
   * stopped runs at once, one not yet due waits what remains of its delay, and one older than the
   * target's maximum event age goes to its dead-letter queue ({@code MaximumEventAgeInSeconds}).
   */
  public AutoCloseable putRule(String bus, String rule, String eventPattern, Target target) {
    Bus b = bus(bus);
    if (rule == null || !rule.matches("[\\.\\-_A-Za-z0-9]{1,64}")) {
      throw new EventBridgeException(EventBridgeException.Code.ValidationException, "invalid rule name: " + rule);
    }
    Rule r = new Rule(rule, ruleArn(b.name, rule), eventPattern, target);
    synchronized (b.machine) {
      Rule previous = b.rules.get(rule);
      try {
        if (previous != null) {
          b.machine.deleteRule(rule, previous.pattern());
        }
        b.machine.addRule(rule, eventPattern);
      } catch (Exception e) {
        if (previous != null) {
          try {
            b.machine.addRule(rule, previous.pattern());
          } catch (Exception again) {
            b.rules.remove(rule);
          }
        }
        throw new EventBridgeException(EventBridgeException.Code.ValidationException,
            "Event pattern is not valid: " + e.getMessage());
      }
      b.rules.put(rule, r);
    }
    resume(b, r);
    return () -> {
      synchronized (b.machine) {
        if (b.rules.remove(rule, r)) {
          b.machine.deleteRule(rule, eventPattern);
        }
      }
    };
  }

  private void resume(Bus b, Rule r) {
    List<PendingRetryStore.Pending> mine = new ArrayList<>();
    synchronized (restored) {
      restored.removeIf(p -> p.isFor(b.name, r.name(), r.target().arn()) && mine.add(p));
    }
    long now = clock.millis();
    RetryPolicy policy = r.target().retryPolicy();
    for (PendingRetryStore.Pending p : mine) {
      Accepted event = new Accepted(b, p.eventId(), p.event(), p.acceptedAt());
      if (now - p.acceptedAt() > policy.maximumEventAge().toMillis()) {
        deadLetter(new Delivery(r, event, p.retries(), true), p.lastFailure(), "MaximumEventAgeInSeconds");
      } else if (p.retries() >= policy.maximumRetryAttempts()) {
        deadLetter(new Delivery(r, event, p.retries(), true), p.lastFailure(), "MaximumRetryAttempts");
      } else {
        schedule(new Delivery(r, event, p.retries() + 1, true), Math.max(0, p.dueAt() - now));
      }
    }
    if (!mine.isEmpty()) {
      log.info("{} deliveries to {} by {} waiting for a retry resumed", mine.size(), r.target().arn(), r.arn());
    }
  }

  /**
   * Deliveries waiting for a retry, across buses (for tests and the console); those read back from
   * the data directory count once their rule is put.
   */
  public int pendingRetries() {
    return pendingRetries.get();
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
    delivery.execute(() -> deliver(accepted));
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

  /** One operation ({@code X-Amz-Target} without {@code AWSEvents.}) of the API. */
  private JsonNode dispatch(String operation, JsonNode request) {
    return switch (operation) {
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
          "operation " + operation + " is not supported by the local EventBridge");
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
        delivery.execute(() -> deliver(accepted));
      } catch (EventBridgeException e) {
        failed++;
        result.put("ErrorCode", e.code == EventBridgeException.Code.ResourceNotFoundException ? "NotFound" : "InvalidArgument");
        result.put("ErrorMessage", e.getMessage());
      }
    }
    response.put("FailedEntryCount", failed);
    return response;
  }

  private record Accepted(Bus bus, String id, String json, long acceptedAtMillis) {}

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
    return new Accepted(bus, id, json, clock.millis());
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private void deliver(Accepted event) {
    Bus bus = event.bus();
    List<Rule> matched = new ArrayList<>();
    try {
      synchronized (bus.machine) {
        for (String name : bus.machine.rulesForJSONEvent(event.json())) {
          Rule r = bus.rules.get(name);
          if (r != null) {
            matched.add(r);
          }
        }
      }
    } catch (Exception e) {
      log.warn("could not match an event on bus {}: {}", bus.name, e.toString());
      return;
    }
    for (Rule rule : matched) {
      attempt(new Delivery(rule, event, 0, false));
    }
  }

  /**
   * One delivery of one event to one rule's target, how many retries it already had, and whether
   * it has a record in the data directory (to delete once it finished).
   */
  private record Delivery(Rule rule, Accepted event, int retries, boolean kept) {

    String key() {
      return PendingRetryStore.key(event.bus().name, rule.name(), rule.target().arn(), event.id());
    }
  }

  private void attempt(Delivery d) {
    Target target = d.rule().target();
    TargetFailure failure;
    try {
      target.delivery().accept(d.event().json());
      forget(d);
      return;
    } catch (RuntimeException e) {
      failure = TargetFailure.classify(e);
    }
    RetryPolicy policy = target.retryPolicy();
    String exhausted = null;
    if (failure.retriable()) {
      if (d.retries() >= policy.maximumRetryAttempts()) {
        exhausted = "MaximumRetryAttempts";
      } else {
        Duration delay = backoff.delay(d.retries() + 1, ThreadLocalRandom.current());
        long age = clock.millis() + delay.toMillis() - d.event().acceptedAtMillis();
        if (age > policy.maximumEventAge().toMillis()) {
          exhausted = "MaximumEventAgeInSeconds";
        } else {
          log.debug("target {} of {} refused event {} ({}), retry {} in {}", target.arn(), d.rule().arn(),
              d.event().id(), failure.errorCode(), d.retries() + 1, delay);
          boolean kept = keep(d, failure, clock.millis() + delay.toMillis());
          schedule(new Delivery(d.rule(), d.event(), d.retries() + 1, kept), delay.toMillis());
          return;
        }
      }
    }
    deadLetter(d, failure, exhausted);
  }

  /** Runs {@code next} in {@code delayMillis}; once the emulator closes, it stays as last kept (or is lost, in memory). */
  private void schedule(Delivery next, long delayMillis) {
    pendingRetries.incrementAndGet();
    try {
      retries.schedule(() -> {
        pendingRetries.decrementAndGet();
        attempt(next);
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      pendingRetries.decrementAndGet();
      if (next.kept()) {
        log.info("event {} for {} not retried: the emulator is closing; it is kept in {}", next.event().id(),
            next.rule().target().arn(), store.dir());
      } else {
        log.warn("event {} for {} not retried: the emulator is closing", next.event().id(), next.rule().target().arn());
      }
    }
  }

  /**
   * Saves the delivery, due again at {@code dueAt}, before its retry is scheduled; false in memory
   * or when the save failed (logged: the retry still runs, only not across a restart).
   */
  private boolean keep(Delivery d, TargetFailure failure, long dueAt) {
    if (store == null) {
      return false;
    }
    try {
      store.save(new PendingRetryStore.Pending(d.event().bus().name, d.rule().name(), d.rule().target().arn(),
          d.event().id(), d.event().json(), d.retries(), d.event().acceptedAtMillis(), dueAt, failure.errorCode(),
          failure.getMessage()));
      return true;
    } catch (java.io.UncheckedIOException e) {
      log.error("event {} for {}: its retry is not kept", d.event().id(), d.rule().target().arn(), e);
      return d.kept(); // an older record may still be there: delete it once the delivery finishes
    }
  }

  /** The delivery finished: its record goes (a failure is logged: it would be retried again after a restart). */
  private void forget(Delivery d) {
    if (d.kept() && store != null) {
      try {
        store.delete(d.key());
      } catch (java.io.UncheckedIOException e) {
        log.error("event {} for {} finished but stays kept for a retry", d.event().id(), d.rule().target().arn(), e);
      }
    }
  }

  private void deadLetter(Delivery d, TargetFailure failure, String exhausted) {
    Target target = d.rule().target();
    if (target.deadLetterQueue() == null) {
      log.warn("target {} of {} failed on event {} ({}: {}){}; no dead-letter queue: dropped", target.arn(),
          d.rule().arn(), d.event().id(), failure.errorCode(), failure.getMessage(),
          exhausted == null ? "" : ", " + exhausted + " exhausted after " + d.retries() + " retries");
      forget(d);
      return;
    }
    Map<String, String> attributes = new java.util.LinkedHashMap<>();
    attributes.put("RULE_ARN", d.rule().arn());
    attributes.put("TARGET_ARN", target.arn());
    attributes.put("ERROR_CODE", failure.errorCode().name());
    attributes.put("ERROR_MESSAGE", String.valueOf(failure.getMessage()));
    if (exhausted != null) {
      attributes.put("EXHAUSTED_RETRY_CONDITION", exhausted);
    }
    attributes.put("RETRY_ATTEMPTS", String.valueOf(d.retries()));
    try {
      target.deadLetterQueue().send(d.event().json(), attributes);
      log.warn("target {} of {} failed on event {} ({}); sent to {}", target.arn(), d.rule().arn(), d.event().id(),
          failure.errorCode(), target.deadLetterQueue().arn());
    } catch (RuntimeException e) {
      log.error("event {} for {} could not be written to its dead-letter queue {}{}", d.event().id(), target.arn(),
          target.deadLetterQueue().arn(), d.kept() ? "; it stays kept for a retry after a restart" : "", e);
      return;
    }
    forget(d); // after the send: a stop in between sends it again rather than losing it
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
    if (store != null) {
      store.close(); // from here on the records stay as they are, for the next emulator on the directory
    }
    int waiting = retries.shutdownNow().size();
    if (waiting > 0 && store != null) {
      log.info("{} target deliveries were waiting for a retry; they are kept in {}", waiting, store.dir());
    } else if (waiting > 0) {
      log.warn("{} target deliveries were waiting for a retry and are lost with the emulator", waiting);
    }
  }

  private record Rule(String name, String arn, String pattern, Target target) {}

  private static final class Bus {
    final String name;
    final Machine machine = new Machine();
    final Map<String, Rule> rules = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    Bus(String name) {
      this.name = name;
    }
  }
}
