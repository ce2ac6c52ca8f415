package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;

/**
 * Uploads arrive damaged in every way: whatever the bytes, the probe describes the file or
 * refuses it with {@link UnreadableVideoException}, within its read budget. Any other exception
 * would fail the execution and invite a pointless redrive. Damage is seeded, so a failure
 * reproduces.
 */
class SurvivesDamagedFilesTest {

  private static final int VARIANTS = 200;

  @ParameterizedTest
  @EnumSource(value = Clip.class, names = {"MP4_FAST_START", "MP4_MOOV_AT_END", "MP4_FRAGMENTED", "MOV",
      "MKV", "WEBM", "WEBM_LIVE", "AVI", "MPEG_TS", "MPEG_TS_HEVC", "MPEG_TS_MPEG2", "M2TS"})
  void describesOrRefusesEveryDamagedVariant(Clip clip) {
    byte[] original = clip.bytes();
    Random random = new Random(clip.ordinal());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < VARIANTS; i++) {
      byte[] damaged = damage(original, random);
      CountingByteSource source = CountingByteSource.of(damaged);
      try {
        new VideoProbe().probe(source, clip.container(), source.head(VideoProbe.HEAD_BYTES));
      } catch (UnreadableVideoException expected) {
        // a refusal is a fine answer to a damaged file
      } catch (RuntimeException e) {
        failures.add("variant " + i + ": " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 3)));
      }
      if (source.reads() > BoundedReads.MAX_READS
          || Math.min(damaged.length, VideoProbe.HEAD_BYTES) + source.bytesRead() > BoundedReads.MAX_BYTES) {
        failures.add("variant " + i + " read " + source.reads() + " times, " + source.bytesRead() + " bytes");
      }
    }
    assertThat(failures).isEmpty();
  }

  /** One kind of damage: flipped bytes, a cut, a range of 0x00 or 0xFF, noise at either end. */
  private static byte[] damage(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(6)) {
      case 0 -> {
        for (int k = 0; k < 1 + random.nextInt(20); k++) {
          b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> fill(b, random, (byte) 0);
      case 3 -> fill(b, random, (byte) 0xFF);
      case 4 -> {
        // damage in the last bytes: a moov-at-end's moov, a live recording's last cluster, a TS tail
        for (int k = 0; k < 1 + random.nextInt(8); k++) {
          b[b.length - 1 - random.nextInt(Math.min(b.length, 4096))] = (byte) random.nextInt(256);
        }
      }
      default -> {
        // damage concentrated in the headers, where every byte matters
        for (int k = 0; k < 1 + random.nextInt(8); k++) {
          b[random.nextInt(Math.min(b.length, 4096))] = (byte) random.nextInt(256);
        }
      }
    }
    return b;
  }

  private static void fill(byte[] b, Random random, byte value) {
    int from = random.nextInt(b.length);
    int to = Math.min(b.length, from + 1 + random.nextInt(64));
    Arrays.fill(b, from, to, value);
  }
}
