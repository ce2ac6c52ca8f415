package videopipe.localstack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the edge must do to messages, seen on the wire from both sides: a probe server stands in
 * for the service behind it (the seam here is the edge's own), and the client speaks raw HTTP/1.1
 * over a socket, so that each byte the edge forwards, and when, can be checked. Bodies must stream
 * (a 1 GiB upload held in memory would end the stack), heads must arrive byte for byte (SigV4
 * signs them), and {@code 100 Continue} must come from the service.
 */
class EdgeStreamsBodiesTest {

  private static final int WAIT_SECONDS = 60;
  private ServerSocket probe;
  private EdgeServer edge;

  @AfterEach
  void stop() throws IOException {
    if (edge != null) {
      edge.close();
    }
    if (probe != null) {
      probe.close();
    }
  }

  private void start() throws IOException {
    probe = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    probe.setSoTimeout(WAIT_SECONDS * 1000);
    edge = EdgeServer.start(0, Map.of(Service.S3, URI.create("http://127.0.0.1:" + probe.getLocalPort())));
  }

  private Socket client() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port());
    s.setSoTimeout(WAIT_SECONDS * 1000);
    return s;
  }

  @Test
  void forwardsTheHeadByteForByte() throws Exception {
    start();
    String head = "PUT /bucket/k%20ey?x-amz-meta=1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1:4566\r\n"
        + "x-amz-date:20261124T230000Z\r\n"
        + "X-Amz-Meta-Odd:   spaced   value  \r\n"
        + "authorization: AWS4-HMAC-SHA256 Credential=K/20261124/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc\r\n"
        + "Content-Length: 3\r\n\r\n";
    try (Socket c = client()) {
      CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
        try (Socket s = probe.accept()) {
          byte[] got = readHead(s.getInputStream());
          byte[] body = s.getInputStream().readNBytes(3);
          s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          return concat(got, body);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      c.getOutputStream().write((head + "abc").getBytes(StandardCharsets.ISO_8859_1));

      assertThat(new String(received.get(WAIT_SECONDS, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1))
          .isEqualTo(head + "abc");
      assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
    }
  }

  @Test
  void streamsARequestBodyBeforeItHasAllArrived() throws Exception {
    start();
    int half = 1024 * 1024;
    try (Socket c = client()) {
      OutputStream out = c.getOutputStream();
      out.write(("PUT /bucket/big HTTP/1.1\r\nHost: h\r\nContent-Length: " + 2 * half + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[half]);
      out.flush();
      try (Socket s = probe.accept()) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        readHead(in);
        // The client holds back its second half: the first must already be at the service.
        assertThat(in.readNBytes(half)).hasSize(half);

        out.write(new byte[half]);
        out.flush();
        assertThat(in.readNBytes(half)).hasSize(half);
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        assertThat(c.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void streamsAChunkedResponseChunkByChunk() throws Exception {
    start();
    try (Socket c = client()) {
      c.getOutputStream().write("GET /bucket/stream HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      try (Socket s = probe.accept()) {
        readHead(s.getInputStream());
        OutputStream down = s.getOutputStream();
        down.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n".getBytes(StandardCharsets.ISO_8859_1));
        down.flush();
        InputStream in = c.getInputStream();
        readHead(in);
        // The service has not finished its answer: its first chunk must already be at the client.
        assertThat(new String(in.readNBytes(10), StandardCharsets.ISO_8859_1)).isEqualTo("5\r\nfirst\r\n");

        down.write("4\r\nlast\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(in.readNBytes(14), StandardCharsets.ISO_8859_1)).isEqualTo("4\r\nlast\r\n0\r\n\r\n");
      }
    }
  }

  @Test
  void passesAGibibyteChunkedUploadThrough() throws Exception {
    start();
    long total = 1L << 30;
    int chunk = 1 << 20;
    try (Socket c = client()) {
      CompletableFuture<Long> counted = CompletableFuture.supplyAsync(() -> {
        try (Socket s = probe.accept()) {
          InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
          readHead(in);
          long n = 0;
          while (true) {
            int size = Integer.parseInt(readLine(in), 16);
            if (size == 0) {
              readLine(in);
              break;
            }
            n += skipExactly(in, size);
            readLine(in);
          }
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + Long.toString(n).length() + "\r\n\r\n" + n)
              .getBytes(StandardCharsets.ISO_8859_1));
          return n;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      OutputStream out = c.getOutputStream();
      out.write("PUT /bucket/gib HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      byte[] data = new byte[chunk];
      byte[] sizeLine = (Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      for (long sent = 0; sent < total; sent += chunk) {
        out.write(sizeLine);
        out.write(data);
        out.write('\r');
        out.write('\n');
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();

      assertThat(counted.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(total);
      assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      assertThat(new String(c.getInputStream().readNBytes(10), StandardCharsets.ISO_8859_1)).isEqualTo(Long.toString(total));
    }
  }

  @Test
  void relaysTheServicesContinueToAWaitingClient() throws Exception {
    start();
    try (Socket c = client()) {
      c.getOutputStream().write("PUT /bucket/k HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      try (Socket s = probe.accept()) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        assertThat(new String(readHead(in), StandardCharsets.ISO_8859_1)).contains("Expect: 100-continue");
        s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100");
        c.getOutputStream().write("body".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(in.readNBytes(4)).isEqualTo("body".getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void answers502NamingAServiceThatDoesNotAnswerAndKeepsTheConnection() throws Exception {
    start();
    probe.close(); // nothing listens on S3's port now
    try (Socket c = client()) {
      String request = "PUT /bucket/k HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
      for (int i = 0; i < 2; i++) {
        c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        String head = new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 502").doesNotContain("Connection: close");
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        String body = new String(c.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
        assertThat(body).contains("<Code>ServiceUnavailable</Code>", "S3 (S3Proxy)", "does not answer");
      }
    }
  }

  @Test
  void routesEachRequestOfOneConnectionToItsOwnService() throws Exception {
    try (ServerSocket dynamo = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      dynamo.setSoTimeout(WAIT_SECONDS * 1000);
      probe = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      probe.setSoTimeout(WAIT_SECONDS * 1000);
      edge = EdgeServer.start(0, Map.of(Service.S3, URI.create("http://127.0.0.1:" + probe.getLocalPort()),
          Service.DYNAMODB, URI.create("http://127.0.0.1:" + dynamo.getLocalPort())));
      try (Socket c = client()) {
        c.getOutputStream().write("GET /bucket/a HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        answer(probe, "s3");
        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        assertThat(c.getInputStream().readNBytes(2)).isEqualTo("s3".getBytes(StandardCharsets.ISO_8859_1));

        c.getOutputStream().write(("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
            + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
        answer(dynamo, "db");
        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        assertThat(c.getInputStream().readNBytes(2)).isEqualTo("db".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void passesAServicesEarlyRefusalToAWaitingClientAndCloses() throws Exception {
    start();
    try (Socket c = client()) {
      c.getOutputStream().write("PUT /bucket/k HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      try (Socket s = probe.accept()) {
        readHead(s.getInputStream());
        s.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\nConnection: close\r\n\r\ndenied"
            .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(new String(readHead(c.getInputStream()), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 403");
        assertThat(c.getInputStream().readNBytes(6)).isEqualTo("denied".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(c.getInputStream().read()).as("the edge closes the connection").isEqualTo(-1);
      }
    }
  }

  /** Accepts one connection on {@code server}, reads its request, answers 200 with {@code body}. */
  private static void answer(ServerSocket server, String body) throws IOException {
    try (Socket s = server.accept()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      String head = new String(readHead(in), StandardCharsets.ISO_8859_1);
      int length = head.contains("Content-Length: ") ? Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1")) : 0;
      in.readNBytes(length);
      s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static long skipExactly(InputStream in, int n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      long s = in.skip(n - skipped);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException("ended early");
        }
        s = 1;
      }
      skipped += s;
    }
    return skipped;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("ended inside a line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads through the empty line that ends a head; returns the head's bytes. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("ended inside a head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
