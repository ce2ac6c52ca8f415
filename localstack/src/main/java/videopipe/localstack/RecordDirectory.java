package videopipe.localstack;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records that outlive their emulator, one {@code <id>.json} file each in a directory: each file
 * replaced whole (written beside, then moved over it), so that a stop at any moment leaves every
 * record as it was last saved, never half of it. The directory is held by one emulator at a time
 * ({@link DirectoryLock}); two on it would act on the same records twice. The local MediaConvert
 * keeps its jobs so, and the local Lambda its asynchronous queue.
 */
public final class RecordDirectory implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SUFFIX = ".json";
  private static final String TEMPORARY = ".json.tmp";

  /** The records read back, in the order of their files' names, and what could not be read (one sentence each). */
  public record Loaded<T>(List<T> records, List<String> problems) {}

  /** A directory opened, held, and the records it had, read back. */
  public record Opened<T>(RecordDirectory directory, Loaded<T> readBack) {}

  private final Path dir;
  private final DirectoryLock lock;
  /** Set at close: a save or delete after it would race the next emulator that holds the directory. */
  private boolean closed;

  private RecordDirectory(Path dir, DirectoryLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /**
   * Opens {@code dir} (created if missing), locks it, and reads its records back with {@code read}
   * (see {@link #load}); when they cannot be read, releases it again and rethrows.
   *
   * @param holder who keeps records there, for the refusal when another holds it: "local MediaConvert"
   * @param what a record, for the problems: "MediaConvert job"
   */
  public static <T> Opened<T> open(Path dir, String holder, String what, Function<JsonNode, T> read)
      throws IOException {
    RecordDirectory directory = new RecordDirectory(dir, DirectoryLock.acquire(dir, "lock", holder));
    try {
      return new Opened<>(directory, directory.load(what, read));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * A field a record must have, neither missing nor null; {@code IllegalArgumentException} naming
   * it otherwise (the file is then set aside as unreadable).
   */
  public static JsonNode required(JsonNode record, String field) {
    JsonNode value = record.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Reads every record back with {@code read}. A file it throws on is moved aside as {@code
   * *.unreadable} (kept for whoever wants to look, out of the next start's way) and named in the
   * problems; a temporary file left by a stop mid-save is removed, since the record it was
   * replacing is still whole.
   *
   * @param what a record, for the problems: "MediaConvert job"
   */
  private <T> Loaded<T> load(String what, Function<JsonNode, T> read) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    List<T> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(TEMPORARY)) {
        Files.deleteIfExists(file);
      } else if (name.endsWith(SUFFIX)) {
        try {
          records.add(read.apply(JSON.readTree(file)));
        } catch (RuntimeException e) {
          Path aside = file.resolveSibling(name + ".unreadable");
          problems.add(file + " is not a readable " + what + " (" + e.getMessage() + "): skipped, and kept as " + aside);
          try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException moveFailed) {
            problems.add("cannot move " + file + " aside: " + moveFailed);
          }
        }
      }
    }
    return new Loaded<>(List.copyOf(records), List.copyOf(problems));
  }

  /**
   * Replaces record {@code id}'s file with {@code record}; nothing once closed (the record rests as
   * last saved, for the next start).
   *
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public synchronized void save(String id, JsonNode record) {
    if (closed) {
      return;
    }
    Path file = dir.resolve(id + SUFFIX);
    Path tmp = dir.resolve(id + TEMPORARY);
    try {
      // A FileOutputStream, not Files.write: a channel is closed by an interrupt, and a stop
      // interrupts the threads that may be saving a record at that moment.
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        out.write(JSON.writeValueAsBytes(record));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + id + " to " + file, e);
    }
  }

  /** Removes record {@code id}; nothing once closed (the next start finds it again). */
  public synchronized void delete(String id) {
    if (closed) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(id + SUFFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + id + " from " + dir, e);
    }
  }

  /** Stops writing, then releases the directory. */
  @Override
  public synchronized void close() {
    closed = true;
    lock.close();
  }
}
