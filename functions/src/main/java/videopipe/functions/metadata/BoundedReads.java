package videopipe.functions.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import videopipe.functions.storage.ByteSource;

/**
 * The probe's only way to the bytes: every read names its range, what was read is kept and served
 * again without another request, and both the number of requests and the bytes fetched are
 * capped. A file that needs more is refused ({@link UnreadableVideoException.Code#TOO_COSTLY})
 * instead of read further: on S3 every read is a ranged GET, and the design promises that
 * validating and probing one upload fetches at most 512 KiB whatever its size.
 *
 * <p>The head the validate step already fetched counts against the byte budget (it was fetched
 * for the same upload) but not against the read cap, which bounds the probe's own requests.
 */
final class BoundedReads {

  /** Requests the probe may make on its own, beyond the head it may be given. */
  static final int MAX_READS = 16;

  /** Bytes fetched for one upload, the given head included. */
  static final int MAX_BYTES = 512 * 1024;

  private final ByteSource source;
  private final long size;
  /** Disjoint fetched ranges, sorted by offset. */
  private final List<Chunk> chunks = new ArrayList<>();
  private int reads;
  private long bytesRead;

  private record Chunk(long offset, byte[] data) {
    long end() {
      return offset + data.length;
    }
  }

  BoundedReads(ByteSource source, byte @Nullable [] head) {
    this.source = source;
    this.size = source.size();
    if (head != null && head.length > 0) {
      byte[] kept = head.length > size ? Arrays.copyOf(head, (int) size) : head;
      chunks.add(new Chunk(0, kept));
      bytesRead = kept.length;
    }
  }

  long size() {
    return size;
  }

  int reads() {
    return reads;
  }

  long bytesRead() {
    return bytesRead;
  }

  /** True when {@code [offset, offset + length)}, clipped to the file, was already fetched. */
  boolean has(long offset, int length) {
    long end = Math.min(size, offset + length);
    return offset >= end || covering(offset, end) != null;
  }

  /**
   * The bytes {@code [offset, offset + length)} clipped to the end of the file (so possibly fewer,
   * or none at or past the end). When they were not fetched yet this makes one request, starting at
   * the first missing byte and reaching at least {@code prefetch} bytes past {@code offset}: callers
   * walking headers ask for a window so that the next headers come for free.
   */
  byte[] bytes(long offset, int length, int prefetch) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset " + offset + ", length " + length);
    }
    long end = Math.min(size, offset + length);
    if (offset >= end) {
      return new byte[0];
    }
    Chunk chunk = covering(offset, end);
    if (chunk == null) {
      fetch(offset, end, Math.min(size, Math.max(end, offset + prefetch)));
      chunk = covering(offset, end);
    }
    int from = (int) (offset - chunk.offset);
    return Arrays.copyOfRange(chunk.data, from, from + (int) (end - offset));
  }

  private @Nullable Chunk covering(long offset, long end) {
    for (Chunk c : chunks) {
      if (c.offset <= offset && end <= c.end()) {
        return c;
      }
    }
    return null;
  }

  /**
   * Fetches what is missing of {@code [offset, wanted)}, at least up to {@code needed}: from the
   * first byte not yet held to the last, in one request, trimmed to the remaining byte budget but
   * never below what the caller needs.
   */
  private void fetch(long offset, long needed, long wanted) {
    long from = offset;
    for (Chunk c : chunks) {
      if (c.offset <= from && from < c.end()) {
        from = c.end();
      }
    }
    long to = wanted;
    for (Chunk c : chunks) {
      if (c.offset > from && c.offset < to && c.end() >= to) {
        to = c.offset; // the tail of the window is held already
      }
    }
    long room = MAX_BYTES - bytesRead;
    if (reads >= MAX_READS || needed - from > room) {
      throw new UnreadableVideoException(UnreadableVideoException.Code.TOO_COSTLY,
          "describing this file needs more than " + MAX_READS + " reads or " + MAX_BYTES / 1024
              + " KiB (about to read " + (needed - from) + " bytes at offset " + from + " after " + reads
              + " reads and " + bytesRead + " bytes)");
    }
    to = Math.max(needed, Math.min(to, from + room));
    int length = (int) (to - from);
    byte[] got = source.read(from, length);
    reads++;
    bytesRead += got.length;
    if (got.length < length) {
      // The object is shorter than HEAD said: it changed under us, or the source lies.
      throw UnreadableVideoException.truncated("the file ends at byte " + (from + got.length)
          + " although its size is " + size + ": it changed while being read");
    }
    insert(new Chunk(from, got));
  }

  /** Adds a chunk and merges every chunk it touches or overlaps into one. */
  private void insert(Chunk added) {
    long start = added.offset;
    long end = added.end();
    List<Chunk> merged = new ArrayList<>();
    List<Chunk> rest = new ArrayList<>();
    for (Chunk c : chunks) {
      if (c.end() >= start && c.offset <= end) {
        merged.add(c);
        start = Math.min(start, c.offset);
        end = Math.max(end, c.end());
      } else {
        rest.add(c);
      }
    }
    byte[] data = new byte[(int) (end - start)];
    for (Chunk c : merged) {
      System.arraycopy(c.data, 0, data, (int) (c.offset - start), c.data.length);
    }
    System.arraycopy(added.data, 0, data, (int) (added.offset - start), added.data.length);
    rest.add(new Chunk(start, data));
    rest.sort((a, b) -> Long.compare(a.offset, b.offset));
    chunks.clear();
    chunks.addAll(rest);
  }
}
