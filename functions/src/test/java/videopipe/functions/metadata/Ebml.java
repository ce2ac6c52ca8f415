package videopipe.functions.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** EBML for tests: real Matroska files split into elements, and elements built by hand. */
final class Ebml {
  private Ebml() {}

  /** An element of a real file: its ID, where it starts, its header length and its size (-1: unknown). */
  record Element(long id, int offset, int header, long size, byte[] file) {
    int dataStart() {
      return offset + header;
    }

    int end() {
      return (int) (dataStart() + size);
    }

    byte[] bytes() {
      return Arrays.copyOfRange(file, offset, end());
    }

    byte[] data() {
      return Arrays.copyOfRange(file, dataStart(), end());
    }
  }

  /** The elements in {@code [from, to)} of a file, one level. */
  static List<Element> elements(byte[] file, int from, int to) {
    List<Element> out = new ArrayList<>();
    int at = from;
    while (at < to) {
      int idLength = Integer.numberOfLeadingZeros(file[at] & 0xFF) - 23;
      long id = 0;
      for (int k = 0; k < idLength; k++) {
        id = (id << 8) | (file[at + k] & 0xFF);
      }
      int s0 = file[at + idLength] & 0xFF;
      int sizeLength = Integer.numberOfLeadingZeros(s0) - 23;
      long size = s0 & (0xFF >> sizeLength);
      boolean unknown = size == (0xFF >> sizeLength);
      for (int k = 1; k < sizeLength; k++) {
        int b = file[at + idLength + k] & 0xFF;
        size = (size << 8) | b;
        unknown &= b == 0xFF;
      }
      Element e = new Element(id, at, idLength + sizeLength, unknown ? to - at - idLength - sizeLength : size, file);
      out.add(e);
      at = e.end();
    }
    return out;
  }

  /** The top-level elements of a file: the EBML header and the Segment. */
  static List<Element> top(byte[] file) {
    return elements(file, 0, file.length);
  }

  /** The Segment's children. */
  static List<Element> segment(byte[] file) {
    Element segment = find(top(file), MatroskaProbe.SEGMENT);
    return elements(file, segment.dataStart(), segment.end());
  }

  static Element find(List<Element> elements, long id) {
    return elements.stream().filter(e -> e.id == id).findFirst().orElseThrow();
  }

  static byte[] id(long id) {
    int length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
    byte[] b = new byte[length];
    for (int k = 0; k < length; k++) {
      b[k] = (byte) (id >> (8 * (length - 1 - k)));
    }
    return b;
  }

  /** An element with an 8-byte size. */
  static byte[] element(long id, byte[]... content) {
    byte[] data = concat(content);
    return concat(id(id), ByteBuffer.allocate(8).putLong(0x0100000000000000L | data.length).array(), data);
  }

  /** An element of unknown size (all ones), as live writers make Segments and Clusters. */
  static byte[] unknownSize(long id, byte[]... content) {
    return concat(id(id), new byte[] {0x01, -1, -1, -1, -1, -1, -1, -1}, concat(content));
  }

  static byte[] uint(long id, long value) {
    return element(id, ByteBuffer.allocate(8).putLong(value).array());
  }

  static byte[] string(long id, String value) {
    return element(id, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] number(long id, double value) {
    return element(id, ByteBuffer.allocate(8).putDouble(value).array());
  }

  /** A Void element taking exactly {@code length} bytes (at least 9). */
  static byte[] voidOf(int length) {
    return element(0xEC, new byte[length - 9]);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
