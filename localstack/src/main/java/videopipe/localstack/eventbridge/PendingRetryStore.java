package videopipe.localstack.eventbridge;

import static videopipe.localstack.RecordDirectory.required;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.RecordDirectory;

/**
 * The local EventBridge's deliveries waiting for a retry, on disk: one record each, saved when its
 * retry is scheduled and deleted once it got through, was dropped or went to the dead-letter
 * queue. Targets are Java objects that exist only once their rules are put again, so a record names
 * its target by bus, rule and target ARN, and resumes when that rule is put (see {@link
 * EventBridgeEmulator#putRule}). The directory is held by one emulator at a time: two would deliver
 * the same retries twice.
 */
final class PendingRetryStore implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One delivery waiting for a retry: the event ({@code event}, its JSON, accepted at {@code
   * acceptedAt}, epoch milliseconds, from which its age counts), the retries it already had, when
   * the next one is due, and how the last attempt failed (for the dead-letter attributes).
   */
  record Pending(String bus, String rule, String targetArn, String eventId, String event, int retries,
                 long acceptedAt, long dueAt, TargetFailure.ErrorCode errorCode, String errorMessage) {

    /** The record's name: the same delivery (event, bus, rule, target) always has the same one. */
    String key() {
      return PendingRetryStore.key(bus, rule, targetArn, eventId);
    }

    TargetFailure lastFailure() {
      return new TargetFailure(errorCode, errorMessage);
    }

    boolean isFor(String bus, String rule, String targetArn) {
      return this.bus.equals(bus) && this.rule.equals(rule) && this.targetArn.equals(targetArn);
    }
  }

  /** The deliveries read back, and what could not be read (one sentence each). */
  record Loaded(List<Pending> pending, List<String> problems) {}

  private final RecordDirectory records;
  private final Loaded readBack;

  private PendingRetryStore(RecordDirectory records, Loaded readBack) {
    this.records = records;
    this.readBack = readBack;
  }

  /**
   * Opens {@code dir} (created if missing), locks it and reads its deliveries back; fails naming it
   * when another emulator holds it.
   */
  static PendingRetryStore open(Path dir) throws IOException {
    RecordDirectory.Opened<Pending> opened =
        RecordDirectory.open(dir, "local EventBridge", "pending EventBridge retry", PendingRetryStore::read);
    return new PendingRetryStore(opened.directory(), new Loaded(opened.readBack().records().stream()
        .sorted(Comparator.comparingLong(Pending::acceptedAt)).toList(), opened.readBack().problems()));
  }

  static String key(String bus, String rule, String targetArn, String eventId) {
    // A name safe for a file whatever the bus (which may hold '/') and the ARN.
    return UUID.nameUUIDFromBytes((bus + "\n" + rule + "\n" + targetArn + "\n" + eventId)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  Path dir() {
    return records.dir();
  }

  /** The deliveries read back at open, oldest event first; a file that was not one is set aside and named in the problems. */
  Loaded readBack() {
    return readBack;
  }

  /** Replaces the delivery's record; nothing once closed. */
  void save(Pending p) {
    records.save(p.key(), write(p));
  }

  /** The delivery finished: its record goes; nothing once closed (the next start resumes it: at least once, never lost). */
  void delete(String key) {
    records.delete(key);
  }

  private static ObjectNode write(Pending p) {
    ObjectNode node = JSON.createObjectNode();
    node.put("bus", p.bus());
    node.put("rule", p.rule());
    node.put("targetArn", p.targetArn());
    node.put("eventId", p.eventId());
    node.put("event", p.event());
    node.put("retries", p.retries());
    node.put("acceptedAt", p.acceptedAt());
    node.put("dueAt", p.dueAt());
    ObjectNode failure = node.putObject("lastFailure");
    failure.put("errorCode", p.errorCode().name());
    failure.put("errorMessage", p.errorMessage());
    return node;
  }

  private static Pending read(JsonNode node) {
    String bus = required(node, "bus").asString();
    String rule = required(node, "rule").asString();
    String targetArn = required(node, "targetArn").asString();
    String eventId = required(node, "eventId").asString();
    String event = required(node, "event").asString();
    int retries = required(node, "retries").asInt();
    if (retries < 0) {
      throw new IllegalArgumentException("retries is negative: " + retries);
    }
    long acceptedAt = required(node, "acceptedAt").asLong();
    long dueAt = required(node, "dueAt").asLong();
    JsonNode failure = required(node, "lastFailure");
    return new Pending(bus, rule, targetArn, eventId, event, retries, acceptedAt, dueAt,
        TargetFailure.ErrorCode.valueOf(required(failure, "errorCode").asString()),
        failure.path("errorMessage").asString(null));
  }

  /** Stops writing, then releases the directory. */
  @Override
  public void close() {
    records.close();
  }
}
