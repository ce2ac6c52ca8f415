package videopipe.localstack.lambda;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.DirectoryLock;

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
  private static final String SUFFIX = ".json";
  private static final String TEMPORARY = ".json.tmp";

  /** One invocation read back, and when its next attempt is due (epoch milliseconds). */
  record Pending(LocalLambda.AsyncInvocation invocation, long dueAt) {}

  /** The invocations read back, and what could not be read (one sentence each). */
  record Loaded(List<Pending> pending, List<String> problems) {}

  private final Path dir;
  private final DirectoryLock lock;
  /** Set at close: a save or delete after it would race the next runtime that holds the directory. */
  private boolean closed;

  private AsyncQueueStore(Path dir, DirectoryLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /** Opens {@code dir} (created if missing) and locks it; fails naming it when another runtime holds it. */
  static AsyncQueueStore open(Path dir) throws IOException {
    return new AsyncQueueStore(dir, DirectoryLock.acquire(dir, "lock", "local Lambda"));
  }

  Path dir() {
    return dir;
  }

  /**
   * Reads every invocation back, oldest first. A file that is not an invocation is moved aside as
   * {@code *.unreadable} (kept for whoever wants to look, out of the next start's way) and named in
   * the problems; a temporary file left by a stop mid-save is removed, since the invocation it was
   * replacing is still whole.
   */
  Loaded load() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    List<Pending> pending = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(TEMPORARY)) {
        Files.deleteIfExists(file);
      } else if (name.endsWith(SUFFIX)) {
        try {
          pending.add(read(JSON.readTree(file)));
        } catch (RuntimeException e) {
          Path aside = file.resolveSibling(name + ".unreadable");
          problems.add(file + " is not a readable asynchronous invocation (" + e.getMessage()
              + "): skipped, and kept as " + aside);
          try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException moveFailed) {
            problems.add("cannot move " + file + " aside: " + moveFailed);
          }
        }
      }
    }
    pending.sort(java.util.Comparator.comparingLong(p -> p.invocation().enqueuedAt()));
    return new Loaded(List.copyOf(pending), List.copyOf(problems));
  }

  /** Replaces the invocation's file: its state now, next due at {@code dueAt}. */
  synchronized void save(LocalLambda.AsyncInvocation inv, long dueAt) {
    if (closed) {
      return; // kept as last saved: the next start runs it from there
    }
    Path file = dir.resolve(inv.requestId() + SUFFIX);
    Path tmp = dir.resolve(inv.requestId() + TEMPORARY);
    try {
      // A FileOutputStream, not Files.write: a channel is closed by an interrupt, and the close
      // interrupts the queue's threads while an attempt may be saving its retry.
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        out.write(JSON.writeValueAsBytes(write(inv, dueAt)));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the asynchronous invocation " + inv.requestId()
          + " of " + inv.function() + " to " + file, e);
    }
  }

  /** The invocation finished: its file goes. */
  synchronized void delete(LocalLambda.AsyncInvocation inv) {
    if (closed) {
      return; // the next start runs it again: at least once, never lost
    }
    try {
      Files.deleteIfExists(dir.resolve(inv.requestId() + SUFFIX));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete the finished asynchronous invocation "
          + inv.requestId() + " from " + dir, e);
    }
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

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value;
  }

  /** Stops writing, then releases the directory. */
  @Override
  public synchronized void close() {
    closed = true;
    lock.close();
  }
}
