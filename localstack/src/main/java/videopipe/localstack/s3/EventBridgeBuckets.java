package videopipe.localstack.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The buckets whose EventBridge notifications are on ({@code <EventBridgeConfiguration/>} in their
 * notification configuration). Off by default, as on S3. With an on-disk S3 the set is kept in a
 * file of the data directory ({@link NotifyingBlobStore} keeps it out of ListBuckets; its name,
 * starting with a dot, is no valid bucket name), rewritten whole on every change, so that it survives a restart as the buckets do.
 */
final class EventBridgeBuckets {

  static final String FILE_NAME = ".eventbridge-notifications";

  private final Set<String> buckets = ConcurrentHashMap.newKeySet();
  private final Path file;

  private EventBridgeBuckets(Path file) {
    this.file = file;
  }

  static EventBridgeBuckets inMemory() {
    return new EventBridgeBuckets(null);
  }

  /** Reads the setting kept under {@code dataDir}, if any. */
  static EventBridgeBuckets onDisk(Path dataDir) {
    EventBridgeBuckets b = new EventBridgeBuckets(dataDir.resolve(FILE_NAME));
    if (Files.isRegularFile(b.file)) {
      try {
        for (String line : Files.readAllLines(b.file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            b.buckets.add(line.strip());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the S3 notification settings " + b.file, e);
      }
    }
    return b;
  }

  boolean enabled(String bucket) {
    return buckets.contains(bucket);
  }

  synchronized void set(String bucket, boolean enabled) {
    boolean changed = enabled ? buckets.add(bucket) : buckets.remove(bucket);
    if (changed) {
      save();
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    try {
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      Files.write(tmp, String.join("\n", new TreeSet<>(buckets)).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the S3 notification settings " + file, e);
    }
  }
}
