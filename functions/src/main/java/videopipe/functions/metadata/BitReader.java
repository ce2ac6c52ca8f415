package videopipe.functions.metadata;

/**
 * Reads the bits of a NAL unit's payload (RBSP): fixed-width fields and the exp-Golomb codes
 * H.264 and HEVC parameter sets are made of. The emulation-prevention bytes (00 00 03) are removed
 * up front. Reading past the end is a corrupt header, never an index error.
 */
final class BitReader {
  private final byte[] data;
  private final String what;
  private long bit;

  BitReader(byte[] nalPayload, String what) {
    this.data = unescape(nalPayload);
    this.what = what;
  }

  /** The RBSP: the payload without the 0x03 bytes inserted after every 00 00. */
  static byte[] unescape(byte[] in) {
    byte[] out = new byte[in.length];
    int n = 0;
    int zeros = 0;
    for (byte b : in) {
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      zeros = b == 0 ? zeros + 1 : 0;
      out[n++] = b;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  int bit() {
    if (bit >= (long) data.length * 8) {
      throw UnreadableVideoException.corrupt("the " + what + " is cut short");
    }
    int v = (data[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1;
    bit++;
    return v;
  }

  boolean flag() {
    return bit() == 1;
  }

  /** An unsigned field of up to 32 bits. */
  long bits(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 1) | bit();
    }
    return v;
  }

  void skip(int n) {
    for (int i = 0; i < n; i++) {
      bit();
    }
  }

  /** ue(v): an unsigned exp-Golomb code, at most 32 bits of value as the standards allow. */
  long ue() {
    int zeros = 0;
    while (bit() == 0) {
      if (++zeros > 31) {
        throw UnreadableVideoException.corrupt("the " + what + " holds an exp-Golomb code longer than 32 bits");
      }
    }
    return ((1L << zeros) - 1) + bits(zeros);
  }

  /** se(v): a signed exp-Golomb code. */
  long se() {
    long k = ue();
    return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** ue(v) that must not exceed {@code max}: a larger value means a corrupt header. */
  int ue(int max, String field) {
    long v = ue();
    if (v > max) {
      throw UnreadableVideoException.corrupt("the " + what + " has " + field + " = " + v + ", above " + max);
    }
    return (int) v;
  }
}
