package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.UnreadableVideoException.Code;

/** Exp-Golomb codes and NAL unescaping: the ground the SPS parsers stand on. */
class BitReaderTest {

  @Test
  void readsUnsignedExpGolombCodes() {
    // 1 | 010 | 011 | 00100 | 00111 → 0, 1, 2, 3, 6
    BitReader r = new BitReader(new byte[] {(byte) 0b1010_0110, (byte) 0b0100_0011, (byte) 0b1000_0000}, "test");
    assertThat(new long[] {r.ue(), r.ue(), r.ue(), r.ue(), r.ue()}).containsExactly(0, 1, 2, 3, 6);
  }

  @Test
  void readsSignedExpGolombCodes() {
    // 010 | 011 | 00100 → +1, -1, +2
    BitReader r = new BitReader(new byte[] {(byte) 0b0100_1100, (byte) 0b1000_0000}, "test");
    assertThat(new long[] {r.se(), r.se(), r.se()}).containsExactly(1, -1, 2);
  }

  @Test
  void removesEmulationPreventionBytes() {
    assertThat(BitReader.unescape(new byte[] {0, 0, 3, 1, 0, 0, 3, 0})).containsExactly(0, 0, 1, 0, 0, 0);
  }

  @Test
  void refusesAnExpGolombCodeLongerThanThirtyTwoBits() {
    BitReader r = new BitReader(new byte[] {0, 0, 0, 0, 0, (byte) 0x80}, "test");
    assertThatThrownBy(r::ue)
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.CORRUPT));
  }

  @Test
  void refusesAHeaderCutShort() {
    assertThatThrownBy(() -> SequenceHeader.h264(new byte[] {0x67, 100, 0, 30}))
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.CORRUPT));
  }
}
