package videopipe.functions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import videopipe.functions.storage.ByteSource;

/**
 * A {@link ByteSource} over bytes in memory that counts what is read from it: how many reads, how
 * many bytes, and which ranges. The probe's promise is about exactly these numbers (what a ranged
 * GET on S3 would cost), so tests assert them here.
 */
public final class CountingByteSource implements ByteSource {

  /** One read: its offset and the number of bytes it returned. */
  public record Range(long offset, int length) {}

  private final byte[] data;
  private final List<Range> ranges = new ArrayList<>();
  private long bytesRead;

  private CountingByteSource(byte[] data) {
    this.data = data;
  }

  public static CountingByteSource of(byte[] data) {
    return new CountingByteSource(data);
  }

  public static CountingByteSource of(Path file) {
    try {
      return new CountingByteSource(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long size() {
    return data.length;
  }

  @Override
  public synchronized byte[] read(long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset " + offset + ", length " + length);
    }
    int from = (int) Math.min(offset, data.length);
    int to = (int) Math.min((long) from + length, data.length);
    ranges.add(new Range(offset, to - from));
    bytesRead += to - from;
    return Arrays.copyOfRange(data, from, to);
  }

  public synchronized int reads() {
    return ranges.size();
  }

  public synchronized long bytesRead() {
    return bytesRead;
  }

  public synchronized List<Range> ranges() {
    return List.copyOf(ranges);
  }

  /** The first {@code length} bytes, without counting them: what an earlier step already fetched. */
  public byte[] head(int length) {
    return Arrays.copyOf(data, Math.min(length, data.length));
  }
}
