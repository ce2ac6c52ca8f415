package videopipe.functions.metadata;

import java.nio.charset.StandardCharsets;

/** Fixed-width integers out of a byte array; big-endian unless the name says otherwise. */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  static int u16(byte[] b, int i) {
    return (u8(b, i) << 8) | u8(b, i + 1);
  }

  static int u24(byte[] b, int i) {
    return (u16(b, i) << 8) | u8(b, i + 2);
  }

  static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16) | u16(b, i + 2);
  }

  static int s32(byte[] b, int i) {
    return (int) u32(b, i);
  }

  /** A 64-bit unsigned value; values above {@code Long.MAX_VALUE} come back negative. */
  static long u64(byte[] b, int i) {
    return (u32(b, i) << 32) | u32(b, i + 4);
  }

  static int u16le(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8);
  }

  static long u32le(byte[] b, int i) {
    return u16le(b, i) | ((long) u16le(b, i + 2) << 16);
  }

  /** Four bytes as text, e.g. a box type or a FourCC; non-printable bytes become '?'. */
  static String fourcc(byte[] b, int i) {
    char[] c = new char[4];
    for (int k = 0; k < 4; k++) {
      int v = u8(b, i + k);
      c[k] = v >= 0x20 && v < 0x7F ? (char) v : (v == 0xA9 ? '©' : '?');
    }
    return new String(c);
  }

  static String ascii(byte[] b, int from, int length) {
    int end = from + length;
    while (end > from && (b[end - 1] == 0 || b[end - 1] == ' ')) {
      end--;
    }
    return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
  }
}
