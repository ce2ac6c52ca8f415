package videopipe.localstack.edge;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a message's body is framed (RFC 9112 §6), and the copy that streams it from one connection
 * to the other as it is: chunked bodies keep their chunk lines and trailers (S3's {@code
 * aws-chunked} signatures live inside the body and pass untouched), and nothing is held beyond a
 * 64 KiB buffer, whatever the size.
 */
enum Body {
  NONE, LENGTH, CHUNKED, UNTIL_CLOSE;

  static final int BUFFER = 64 * 1024;
  private static final int MAX_CHUNK_LINE = 8 * 1024;

  /** A request's framing: chunked, a Content-Length, or none (requests are never close-delimited). */
  static Body ofRequest(HttpHead request) {
    List<String> te = request.values("Transfer-Encoding");
    if (!te.isEmpty()) {
      if (!lastCodingIsChunked(te)) {
        throw new EdgeException(EdgeException.Code.BadRequest,
            "Transfer-Encoding without a final chunked coding: " + String.join(", ", te));
      }
      return CHUNKED;
    }
    return contentLength(request) > 0 ? LENGTH : NONE;
  }

  /** A response's framing, which also depends on the request (a HEAD's answer has no body). */
  static Body ofResponse(String requestMethod, HttpHead response) {
    int status = response.status();
    if (requestMethod.equals("HEAD") || status == 204 || status == 304 || status < 200) {
      return NONE;
    }
    List<String> te = response.values("Transfer-Encoding");
    if (!te.isEmpty()) {
      return lastCodingIsChunked(te) ? CHUNKED : UNTIL_CLOSE;
    }
    return response.value("Content-Length") != null ? (contentLength(response) > 0 ? LENGTH : NONE) : UNTIL_CLOSE;
  }

  private static boolean lastCodingIsChunked(List<String> te) {
    String last = te.get(te.size() - 1);
    String[] codings = last.split(",");
    return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
  }

  /** The Content-Length, 0 when absent; differing or malformed values are refused. */
  static long contentLength(HttpHead head) {
    long length = -1;
    for (String value : head.values("Content-Length")) {
      for (String v : value.split(",")) {
        long n;
        try {
          n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n < 0 || (length >= 0 && n != length)) {
          throw new EdgeException(EdgeException.Code.BadRequest, "bad Content-Length: " + value);
        }
        length = n;
      }
    }
    return Math.max(length, 0);
  }

  /** Streams this body of the message whose head is {@code head} from {@code in} to {@code out}. */
  void copy(HttpHead head, InputStream in, OutputStream out) throws IOException {
    switch (this) {
      case NONE -> { }
      case LENGTH -> copyLength(in, out, contentLength(head));
      case CHUNKED -> copyChunked(in, out);
      case UNTIL_CLOSE -> in.transferTo(out);
    }
    out.flush();
  }

  private static void copyLength(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("the body ended " + left + " bytes short of its Content-Length " + length);
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = copyLine(in, out);
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size line: " + sizeLine);
      }
      if (size == 0) {
        while (!copyLine(in, out).isEmpty()) {
          // trailer fields, as they are
        }
        return;
      }
      copyLength(in, out, size);
      if (!copyLine(in, out).isEmpty()) {
        throw new IOException("chunk data longer than its size " + size);
      }
    }
  }

  /** Copies one line, its CRLF included; returns it without the line end. */
  private static String copyLine(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(32);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection ended inside a chunked body");
      }
      line.write(b);
      if (b == '\n') {
        break;
      }
      if (line.size() > MAX_CHUNK_LINE) {
        throw new IOException("chunk line longer than " + MAX_CHUNK_LINE + " bytes");
      }
    }
    byte[] bytes = line.toByteArray();
    out.write(bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.substring(0, text.length() - 1);
  }
}
