package videopipe.statemachines.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.Json;

/**
 * One execution's journal: a JSON-lines file, only ever appended to. Lines are buffered and
 * written at the execution's resting points (a checkpoint), and forced to the disk at status changes
 * (start, redrive, stop): whatever a crash loses after a checkpoint is re-run from it on recovery.
 * Files are opened per write, so that ten thousand idle executions hold no file descriptors.
 *
 * <p>Line kinds ({@code k}): {@code start} (the execution and its definition), {@code event} (one
 * history event), {@code checkpoint} (where every strand rests, and the history's length then),
 * {@code status} (how a run ended), {@code redrive}, {@code truncate} (recovery dropped the events
 * after the last checkpoint; they are recorded again as the execution re-runs from it).
 * Callers hold the execution's lock.
 */
final class Journal {

  private final Path file;
  private final StringBuilder buffer = new StringBuilder();

  Journal(Path file) {
    this.file = file;
  }

  /** The file of the execution {@code arn} under {@code dir}: a digest, since names may hold any letter. */
  static Path fileOf(Path dir, String arn) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".jsonl");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Path file() {
    return file;
  }

  void append(Map<String, Object> line) {
    buffer.append(Json.write(line)).append('\n');
  }

  /** Writes what is buffered; {@code durable}: and forces it to the disk. */
  void flush(boolean durable) {
    if (buffer.isEmpty() && !durable) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    buffer.setLength(0);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
      if (durable) {
        out.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal " + file, e);
    }
  }

  /**
   * The lines of a journal, parsed, up to the first that is not a JSON object: a line cut by a
   * crash mid-write ends the journal there ({@code cut} says which line, 1-based, or 0, and
   * {@code validBytes} how many bytes come before it).
   */
  record Lines(List<Map<String, Object>> lines, int cut, String cutReason, long validBytes) {}

  @SuppressWarnings("unchecked")
  static Lines read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Map<String, Object>> lines = new ArrayList<>();
    int number = 0;
    int from = 0;
    while (from < bytes.length) {
      int end = from;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      number++;
      // Decoded leniently: a line cut inside a multi-byte letter must still be seen as cut, not crash the read.
      String text = new String(bytes, from, end - from, StandardCharsets.UTF_8);
      if (!text.isBlank()) {
        String reason = null;
        try {
          Object line = Json.parse(text);
          if (line instanceof Map<?, ?>) {
            lines.add((Map<String, Object>) line);
          } else {
            reason = "not a JSON object";
          }
        } catch (RuntimeException e) {
          reason = "not JSON (" + e.getClass().getSimpleName() + ")";
        }
        if (reason == null && end == bytes.length) {
          reason = "without its line end";
          lines.remove(lines.size() - 1);
        }
        if (reason != null) {
          return new Lines(lines, number, reason, from);
        }
      }
      from = end + 1;
    }
    return new Lines(lines, 0, null, bytes.length);
  }

  /** Cuts the file back to its first {@code bytes}, dropping a line a crash cut short, so that appends follow whole lines. */
  static void truncate(Path file, long bytes) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      out.truncate(bytes);
      out.force(false);
    }
  }
}
