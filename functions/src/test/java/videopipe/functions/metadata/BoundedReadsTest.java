package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.UnreadableVideoException.Code;
import videopipe.functions.storage.ByteSource;
import videopipe.functions.testing.CountingByteSource;
import videopipe.functions.testing.CountingByteSource.Range;

/**
 * The seam every probe reads through: each byte fetched once, windows that bring the next headers
 * along, and hard caps on reads and bytes so that no file can make the probe read on and on.
 */
class BoundedReadsTest {

  private static final int KIB = 1024;

  private static CountingByteSource source(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) i;
    }
    return CountingByteSource.of(data);
  }

  @Test
  void servesARangeItFetchedBeforeWithoutReadingAgain() {
    CountingByteSource source = source(100 * KIB);
    BoundedReads reads = new BoundedReads(source, null);
    reads.bytes(1000, 100, 0);
    assertThat(reads.bytes(1010, 50, 0)).containsExactly(java.util.Arrays.copyOfRange(source.head(1060), 1010, 1060));
    assertThat(source.reads()).isEqualTo(1);
  }

  @Test
  void fetchesOnlyWhatIsMissingOfARangeOverlappingTheHead() {
    CountingByteSource source = source(100 * KIB);
    BoundedReads reads = new BoundedReads(source, source.head(1000));
    reads.bytes(500, 1000, 0);
    assertThat(source.ranges()).containsExactly(new Range(1000, 500));
  }

  @Test
  void fetchesAWindowPastTheBytesAskedForSoTheNextHeadersComeFree() {
    CountingByteSource source = source(100 * KIB);
    BoundedReads reads = new BoundedReads(source, null);
    reads.bytes(10_000, 16, 4 * KIB);
    reads.bytes(12_000, 16, 4 * KIB);
    assertThat(source.ranges()).containsExactly(new Range(10_000, 4 * KIB));
  }

  @Test
  void clipsRangesToTheEndOfTheFile() {
    BoundedReads reads = new BoundedReads(source(1000), null);
    assertThat(reads.bytes(990, 100, 0)).hasSize(10);
    assertThat(reads.bytes(1000, 100, 0)).isEmpty();
  }

  @Test
  void refusesTheReadAfterItsLast() {
    CountingByteSource source = source(1024 * KIB);
    BoundedReads reads = new BoundedReads(source, null);
    for (int i = 0; i < BoundedReads.MAX_READS; i++) {
      reads.bytes(i * 10_000L, 16, 0);
    }
    assertThatThrownBy(() -> reads.bytes(900_000, 16, 0))
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_COSTLY));
  }

  @Test
  void refusesToFetchPastTheByteBudgetCountingTheGivenHead() {
    CountingByteSource source = source(2048 * KIB);
    BoundedReads reads = new BoundedReads(source, source.head(500 * KIB));
    assertThatThrownBy(() -> reads.bytes(1000 * KIB, 20 * KIB, 0))
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_COSTLY));
    assertThat(source.reads()).isZero();
  }

  @Test
  void trimsAWindowToTheBytesLeftInTheBudget() {
    CountingByteSource source = source(2048 * KIB);
    BoundedReads reads = new BoundedReads(source, source.head(500 * KIB));
    reads.bytes(1000 * KIB, KIB, 64 * KIB);
    assertThat(reads.bytesRead()).isEqualTo(BoundedReads.MAX_BYTES);
  }

  @Test
  void refusesASourceShorterThanItClaims() {
    ByteSource shrunk = new ByteSource() {
      @Override
      public long size() {
        return 10_000;
      }

      @Override
      public byte[] read(long offset, int length) {
        return new byte[Math.max(0, Math.min(length, 5_000 - (int) offset))];
      }
    };
    BoundedReads reads = new BoundedReads(shrunk, null);
    assertThatThrownBy(() -> reads.bytes(4_000, 2_000, 0))
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.TRUNCATED));
  }
}
