package videopipe.localstack.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head of one HTTP/1.1 message (start line and header fields) as it came off the wire. The
 * edge forwards {@link #raw} unchanged, so whatever a client signed (the Host, every {@code
 * x-amz-*} header, their order, case and spacing) reaches the service byte for byte; it only reads
 * in it what routing and framing need.
 */
final class HttpHead {

  /** Jetty's and Node's default limits are 8 and 16 KiB; a larger head is refused, not buffered. */
  static final int MAX_BYTES = 64 * 1024;

  private final byte[] raw;
  private final String startLine;
  private final List<String[]> fields;

  private HttpHead(byte[] raw, String startLine, List<String[]> fields) {
    this.raw = raw;
    this.startLine = startLine;
    this.fields = fields;
  }

  /**
   * Reads one head, through the empty line that ends it; null when the stream ends before its
   * first byte (a client closing an idle keep-alive connection).
   *
   * @throws EdgeException {@code BadRequest} when it is too large or not a head
   */
  static HttpHead read(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(1024);
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    String startLine = null;
    List<String[]> fields = new ArrayList<>();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (raw.size() == 0) {
          return null;
        }
        throw new java.io.EOFException("the connection ended inside a message head");
      }
      if (raw.size() >= MAX_BYTES) {
        throw new EdgeException(EdgeException.Code.BadRequest, "message head larger than " + MAX_BYTES + " bytes");
      }
      if (b != '\n') {
        raw.write(b);
        line.write(b);
        continue;
      }
      String text = line.toString(StandardCharsets.ISO_8859_1);
      line.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.isEmpty() && startLine == null) {
        raw.reset(); // RFC 9112 §2.2: empty lines before a request line are ignored
        continue;
      }
      raw.write(b);
      if (text.isEmpty()) {
        return new HttpHead(raw.toByteArray(), startLine, fields);
      }
      if (startLine == null) {
        startLine = text;
      } else {
        fields.add(field(text));
      }
    }
  }

  private static String[] field(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
        || Character.isWhitespace(line.charAt(colon - 1))) {
      throw new EdgeException(EdgeException.Code.BadRequest, "malformed header line: " + abbreviate(line));
    }
    return new String[] {line.substring(0, colon), line.substring(colon + 1).strip()};
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  byte[] raw() {
    return raw;
  }

  /** A request's method ({@code GET}), or a response's version ({@code HTTP/1.1}). */
  String first() {
    return part(0);
  }

  /** A request's target ({@code /bucket/key?uploads}), or a response's status code. */
  String second() {
    return part(1);
  }

  /** A request's version. */
  String third() {
    return part(2);
  }

  private String part(int i) {
    String[] parts = startLine.split(" ", 3);
    if (parts.length <= i) {
      throw new EdgeException(EdgeException.Code.BadRequest, "malformed start line: " + abbreviate(startLine));
    }
    return parts[i];
  }

  /** A response's status code. */
  int status() {
    try {
      return Integer.parseInt(second());
    } catch (NumberFormatException e) {
      throw new EdgeException(EdgeException.Code.BadRequest, "malformed status line: " + abbreviate(startLine));
    }
  }

  /** Every value of the field, in order (case-insensitive name); empty when absent. */
  List<String> values(String name) {
    List<String> values = new ArrayList<>(1);
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        values.add(f[1]);
      }
    }
    return values;
  }

  /** The first value of the field, or null. */
  String value(String name) {
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        return f[1];
      }
    }
    return null;
  }

  /** Whether the comma-separated field (Connection, Transfer-Encoding, Expect) holds {@code token}. */
  boolean hasToken(String name, String token) {
    for (String v : values(name)) {
      for (String t : v.split(",")) {
        if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the connection must close after this message (HTTP/1.0 without keep-alive, or {@code Connection: close}). */
  boolean closes(String version) {
    if (hasToken("Connection", "close")) {
      return true;
    }
    return "HTTP/1.0".equals(version) && !hasToken("Connection", "keep-alive");
  }
}
