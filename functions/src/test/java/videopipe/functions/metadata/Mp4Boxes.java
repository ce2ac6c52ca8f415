package videopipe.functions.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MP4 boxes for tests: a real file parsed into an editable tree and written back, and builders for
 * synthetic boxes. Hostile files are derived from real clips with it; moov-at-end clips are the
 * ones to edit, since changing their moov moves no media.
 */
final class Mp4Boxes {
  private Mp4Boxes() {}

  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "edts", "dinf");

  /** A box: a container holds children, any other box its payload (after the 8-byte header). */
  static final class Node {
    String type;
    byte[] payload;
    final List<Node> children;

    Node(String type, byte[] payload, List<Node> children) {
      this.type = type;
      this.payload = payload;
      this.children = children;
    }

    /** The first descendant along a path of types, e.g. {@code "trak/mdia/hdlr"}. */
    Node find(String path) {
      Node at = this;
      for (String type : path.split("/")) {
        at = at.children.stream().filter(c -> c.type.equals(type)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no " + type + " in " + path));
      }
      return at;
    }

    List<Node> all(String type) {
      return children.stream().filter(c -> c.type.equals(type)).toList();
    }

    byte[] bytes() {
      if (type == null) {
        return payload; // raw bytes, written as they are: a box that lies about itself
      }
      if (!CONTAINERS.contains(type)) {
        return box(type, payload);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      children.forEach(c -> out.writeBytes(c.bytes()));
      return box(type, out.toByteArray());
    }
  }

  static List<Node> parse(byte[] file) {
    return parse(file, 0, file.length);
  }

  private static List<Node> parse(byte[] d, int from, int to) {
    List<Node> out = new ArrayList<>();
    int at = from;
    while (at + 8 <= to) {
      int size = ByteBuffer.wrap(d, at, 4).getInt();
      String type = new String(d, at + 4, 4, StandardCharsets.ISO_8859_1);
      if (size == 0) {
        size = to - at;
      }
      if (size == 1 || size < 8) {
        throw new IllegalArgumentException("this helper reads 32-bit sizes only: " + type);
      }
      byte[] payload = java.util.Arrays.copyOfRange(d, at + 8, at + size);
      out.add(new Node(type, payload, CONTAINERS.contains(type) ? parse(d, at + 8, at + size) : new ArrayList<>()));
      at += size;
    }
    return out;
  }

  static Node top(List<Node> boxes, String type) {
    return boxes.stream().filter(b -> b.type.equals(type)).findFirst().orElseThrow();
  }

  static byte[] write(List<Node> boxes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boxes.forEach(b -> out.writeBytes(b.bytes()));
    return out.toByteArray();
  }

  static Node container(String type, Node... children) {
    return new Node(type, new byte[0], new ArrayList<>(List.of(children)));
  }

  /** Bytes written verbatim where a box would be: for boxes whose header lies. */
  static Node raw(byte[] bytes) {
    return new Node(null, bytes, new ArrayList<>());
  }

  static Node leaf(String type, byte[] payload) {
    return new Node(type, payload, new ArrayList<>());
  }

  // ---------------------------------------------------------------- builders

  static byte[] box(String type, byte[]... parts) {
    int length = 8;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(length).put(type.getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  static byte[] fullBox(String type, int version, int flags, byte[]... parts) {
    byte[][] all = new byte[parts.length + 1][];
    all[0] = ByteBuffer.allocate(4).putInt(version << 24 | flags).array();
    System.arraycopy(parts, 0, all, 1, parts.length);
    return box(type, all);
  }

  static byte[] ints(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4);
    for (long v : values) {
      b.putInt((int) v);
    }
    return b.array();
  }

  static byte[] zeros(int n) {
    return new byte[n];
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A 3×3 display matrix {a b u / c d v / x y w}, 16.16 except u, v, w (2.30). */
  static byte[] matrix(int a, int b, int c, int d) {
    return ints((long) a << 16, (long) b << 16, 0, (long) c << 16, (long) d << 16, 0, 0, 0, 1L << 30);
  }
}
