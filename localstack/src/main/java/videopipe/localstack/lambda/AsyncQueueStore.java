package videopipe.localstack.lambda;

import static videopipe.localstack.RecordDirectory.required;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.RecordDirectory;

/**
 * The local Lambda's asynchronous queue on disk, durable as Lambda's own: one
 * {@code <request id>.json} per invocation accepted and not yet finished, replaced whole (written
 * beside, then moved over it) each time a retry is scheduled, and deleted when the invocation
 * succeeds, is dropped or goes to its on-failure queue. A stop at any moment leaves each
 * invocation as it was last saved; one that was running is run again after the restart (Lambda's
 * queue delivers at least once, too). The directory is held by one runtime at a time, through a
 * lock on its {@code lock} file: two runtimes on it would run the same invocations twice.
 */
final class AsyncQueueStore implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One invocation read back, and when its next attempt is due (epoch milliseconds). */
  record Pending(LocalLambda.AsyncInvocation invocation, long dueAt) {}

  /** The invocations read back, and what could not be read (one sentence each). */
  record Loaded(List<Pending> pending, List<String> problems) {}

  private final RecordDirectory records;
  private final Loaded readBack;

  private AsyncQueueStore(RecordDirectory records, Loaded readBack) {
    this.records = records;
    this.readBack = readBack;
  }

  /**
   * Opens {@code dir} (created if missing), locks it and reads its invocations back; fails naming
   * it when another runtime holds it.
   */
  static AsyncQueueStore open(Path dir) throws IOException {
    RecordDirectory.Opened<Pending> opened =
        RecordDirectory.open(dir, "local Lambda", "asynchronous invocation", AsyncQueueStore::read);
    List<Pending> pending = opened.readBack().records().stream()
        .sorted(Comparator.comparingLong((Pending p) -> p.invocation().enqueuedAt())).toList();
    return new AsyncQueueStore(opened.directory(), new Loaded(pending, opened.readBack().problems()));
  }

  Path dir() {
    return records.dir();
  }

  /** The invocations read back at open, oldest first; a file that was not one is set aside and named in the problems. */
  Loaded readBack() {
    return readBack;
  }

  /** Replaces the invocation's file: its state now, next due at {@code dueAt}; nothing once closed. */
  void save(LocalLambda.AsyncInvocation inv, long dueAt) {
    records.save(inv.requestId(), write(inv, dueAt));
  }

  /** The invocation finished: its file goes; nothing once closed (the next start runs it again: at least once, never lost). */
  void delete(LocalLambda.AsyncInvocation inv) {
    records.delete(inv.requestId());
  }

  private static ObjectNode write(LocalLambda.AsyncInvocation inv, long dueAt) {
    ObjectNode node = JSON.createObjectNode();
    node.put("requestId", inv.requestId());
    node.put("function", inv.function());
    node.put("payload", new String(inv.event(), StandardCharsets.UTF_8));
    node.put("enqueuedAt", inv.enqueuedAt());
    node.put("dueAt", dueAt);
    node.put("functionErrors", inv.functionErrors());
    node.put("throttles", inv.throttles());
    LocalLambda.LastFailure last = inv.lastFailure();
    if (last != null) {
      ObjectNode failure = node.putObject("lastFailure");
      failure.put("statusCode", last.statusCode());
      if (last.functionError() != null) {
        failure.put("functionError", last.functionError());
      }
      // Base64: a function's error payload need not be JSON, nor even UTF-8.
      failure.put("response", Base64.getEncoder().encodeToString(last.response()));
    }
    return node;
  }

  private static Pending read(JsonNode node) {
    LocalLambda.LastFailure last = null;
    JsonNode failure = node.path("lastFailure");
    if (failure.isObject()) {
      last = new LocalLambda.LastFailure(required(failure, "statusCode").asInt(),
          failure.path("functionError").asString(null), Base64.getDecoder().decode(required(failure, "response").asString()));
    }
    LocalLambda.AsyncInvocation inv = new LocalLambda.AsyncInvocation(required(node, "function").asString(),
        required(node, "payload").asString().getBytes(StandardCharsets.UTF_8), required(node, "requestId").asString(),
        required(node, "enqueuedAt").asLong(), required(node, "functionErrors").asInt(),
        required(node, "throttles").asInt(), last);
    return new Pending(inv, required(node, "dueAt").asLong());
  }

  /** Stops writing, then releases the directory. */
  @Override
  public void close() {
    records.close();
  }
}
