package videopipe.localstack.eventbridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local dead-letter queue: where the local EventBridge puts an event it could not deliver to a
 * target, and the local Lambda an asynchronous invocation that failed for good. On AWS both are SQS
 * queues; here it is a list with a Java API to read and drain it, each message keeping the body and
 * the string attributes AWS adds (EventBridge: {@code RULE_ARN}, {@code TARGET_ARN},
 * {@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code EXHAUSTED_RETRY_CONDITION},
 * {@code RETRY_ATTEMPTS}; Lambda: {@code RequestID}, {@code ErrorCode}, {@code ErrorMessage}).
 *
 * <p>Given a file, every message is appended to it as one JSON line before {@link #send} returns,
 * and the queue reloads it when opened again: a failed delivery survives a restart of the stack.
 * {@link #drain} rewrites the file without the drained messages.
 */
public final class DeadLetterQueue {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One message as SQS would hold it: an id, when it was sent, its body and its message attributes. */
  public record Message(String messageId, Instant sentAt, String body, Map<String, String> attributes) {
    public Message {
      attributes = Map.copyOf(attributes);
    }

    /** An attribute's value, or null. */
    public String attribute(String name) {
      return attributes.get(name);
    }
  }

  private final String arn;
  private final Path file;
  private final Clock clock;
  private final List<Message> messages = new ArrayList<>();

  private DeadLetterQueue(String arn, Path file, Clock clock) {
    this.arn = arn;
    this.file = file;
    this.clock = clock;
  }

  /** A queue in memory only. */
  public static DeadLetterQueue inMemory(String arn) {
    return new DeadLetterQueue(arn, null, Clock.systemUTC());
  }

  /**
   * A queue kept in {@code file} (JSON lines), with the messages the file already holds.
   *
   * @throws UncheckedIOException if the file cannot be read; a line that is not a message is
   *     refused, naming the file and line, rather than dropped
   */
  public static DeadLetterQueue onDisk(String arn, Path file) {
    DeadLetterQueue q = new DeadLetterQueue(arn, file, Clock.systemUTC());
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).isBlank()) {
            q.messages.add(parse(lines.get(i), file, i + 1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dead-letter queue " + file, e);
    }
    return q;
  }

  /** The queue's ARN (an SQS ARN, as a target's {@code DeadLetterConfig.Arn} names it). */
  public String arn() {
    return arn;
  }

  /** Adds a message; with a file, it is on disk when this returns. */
  public synchronized Message send(String body, Map<String, String> attributes) {
    Message m = new Message(UUID.randomUUID().toString(), clock.instant(), body, new LinkedHashMap<>(attributes));
    if (file != null) {
      try {
        Files.writeString(file, line(m) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to the dead-letter queue " + file, e);
      }
    }
    messages.add(m);
    notifyAll();
    return m;
  }

  /** The messages, oldest first, left in the queue. */
  public synchronized List<Message> messages() {
    return List.copyOf(messages);
  }

  public synchronized int size() {
    return messages.size();
  }

  /** Takes every message out of the queue (and its file), oldest first. */
  public synchronized List<Message> drain() {
    List<Message> out = List.copyOf(messages);
    if (file != null) {
      rewrite(List.of());
    }
    messages.clear();
    return out;
  }

  /**
   * Waits until the queue holds at least {@code count} messages or {@code timeoutMillis} passed;
   * returns the messages it holds then (for tests and the CLI, which wait for a failure to land).
   */
  public synchronized List<Message> await(int count, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (messages.size() < count) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return List.copyOf(messages);
  }

  private void rewrite(List<Message> keep) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      StringBuilder text = new StringBuilder();
      for (Message m : keep) {
        text.append(line(m)).append('\n');
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the dead-letter queue " + file, e);
    }
  }

  private static String line(Message m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("messageId", m.messageId());
    node.put("sentAt", m.sentAt().toString());
    node.put("body", m.body());
    ObjectNode attributes = node.putObject("attributes");
    m.attributes().forEach(attributes::put);
    return JSON.writeValueAsString(node);
  }

  private static Message parse(String line, Path file, int number) {
    try {
      JsonNode node = JSON.readTree(line);
      Map<String, String> attributes = new LinkedHashMap<>();
      node.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asString()));
      String id = node.path("messageId").asString(null);
      String body = node.path("body").asString(null);
      String sentAt = node.path("sentAt").asString(null);
      if (id == null || body == null || sentAt == null) {
        throw new IllegalStateException(file + ":" + number + " is not a dead-letter message (messageId, sentAt, body)");
      }
      return new Message(id, Instant.parse(sentAt), body, attributes);
    } catch (JacksonException | java.time.format.DateTimeParseException e) {
      throw new IllegalStateException(file + ":" + number + " is not a dead-letter message: " + e.getMessage(), e);
    }
  }
}
