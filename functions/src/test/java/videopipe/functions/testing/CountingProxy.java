package videopipe.functions.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on loopback, between an HTTP client and S3Proxy, that counts every byte the server
 * sends and notes each request's method, target and {@code Range} header.
 *
 * <p>It counts below the client on purpose. A counter inside the client sees the bodies it chose to
 * read; this one also sees HEADs, response headers, retries, and what the server keeps sending on
 * an open-ended range ({@code bytes=a-}) until the client hangs up, which is bounded only by the
 * TCP buffers in between. That last part is the real cost of ffprobe's reads over HTTP.
 *
 * <p>Bytes "from the server" are those the proxy read from S3Proxy's socket; bytes "to the client"
 * those it handed to the client's socket (the client may still have dropped some unread in its
 * receive buffer when it closed). Requests are framed by their headers and {@code Content-Length};
 * a request it cannot frame (a chunked body, oversized headers) is noted with method {@code "?"},
 * which {@link Request#bounded()} refuses, so a check built on it fails rather than passes blind.
 *
 * <p>Bounded: it binds 127.0.0.1 only, serves at most {@value #MAX_CONNECTIONS} connections at
 * once, gives up on a peer silent for {@value #IDLE_SECONDS} s, runs on daemon threads, and
 * {@link #close()} closes every socket it opened.
 */
public final class CountingProxy implements AutoCloseable {

  private static final int MAX_CONNECTIONS = 32;
  private static final int IDLE_SECONDS = 60;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  /** "\r\n\r\n" as the last four bytes seen, big-endian. */
  private static final int BLANK_LINE = 0x0d0a0d0a;

  /**
   * One request as the client sent it.
   *
   * @param connection which of the proxy's connections carried it, counted from 1
   * @param range the {@code Range} header's value, or null when there was none
   */
  public record Request(int connection, String method, String target, @Nullable String range) {

    private static final Pattern BOUNDED = Pattern.compile("bytes=\\d+-\\d+");

    /** A GET that names both ends of its range; any other method reads no object body. */
    public boolean bounded() {
      if ("?".equals(method)) {
        return false;
      }
      return !"GET".equals(method) || (range != null && BOUNDED.matcher(range.trim()).matches());
    }

    /** {@code GET bytes=0-16383}, {@code HEAD}, {@code GET (no Range)}. */
    public String brief() {
      return method + ("GET".equals(method) ? " " + (range == null ? "(no Range)" : range.trim()) : "");
    }
  }

  /** What has gone through the proxy so far; {@link #since} gives what one step added. */
  public record Tally(long bytesFromServer, long bytesToClient, List<Request> requests) {

    public Tally {
      requests = List.copyOf(requests);
    }

    public Tally since(Tally earlier) {
      return new Tally(bytesFromServer - earlier.bytesFromServer, bytesToClient - earlier.bytesToClient,
          requests.subList(earlier.requests.size(), requests.size()));
    }

    public boolean allBounded() {
      return requests.stream().allMatch(Request::bounded);
    }
  }

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final AtomicLong fromServer = new AtomicLong();
  private final AtomicLong toClient = new AtomicLong();
  private final List<Request> requests = new ArrayList<>();
  private final Map<Integer, AtomicLong> fromServerByConnection = new ConcurrentHashMap<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final Object idle = new Object();
  private int open;
  private volatile boolean closed;

  private CountingProxy(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
  }

  /** Starts a proxy on an ephemeral loopback port in front of {@code upstream} ({@code http://host:port}). */
  public static CountingProxy start(URI upstream) {
    ServerSocket listener;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback", e);
    }
    CountingProxy proxy = new CountingProxy(listener, new InetSocketAddress(upstream.getHost(), upstream.getPort()));
    Thread acceptor = new Thread(proxy::accept, "counting-proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  /** {@code http://127.0.0.1:<port>}: give it to the client instead of the server's endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  public Tally tally() {
    synchronized (requests) {
      return new Tally(fromServer.get(), toClient.get(), requests);
    }
  }

  /** Bytes the server sent on one connection (see {@link Request#connection()}). */
  public long bytesFromServer(int connection) {
    AtomicLong bytes = fromServerByConnection.get(connection);
    return bytes == null ? 0 : bytes.get();
  }

  /**
   * Waits until every connection has ended, so that the tally is final: after a client exits, the
   * proxy may still be reading what the server had sent before it noticed.
   */
  public void awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (open > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(open + " connection(s) still open after " + timeout);
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    sockets.forEach(CountingProxy::closeQuietly);
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      synchronized (idle) {
        if (open >= MAX_CONNECTIONS) {
          closeQuietly(client);
          continue;
        }
        open++;
      }
      int id = connections.incrementAndGet();
      Socket origin;
      try {
        origin = new Socket();
        origin.connect(upstream, 5_000);
        for (Socket s : List.of(client, origin)) {
          s.setSoTimeout(IDLE_SECONDS * 1000);
          s.setTcpNoDelay(true);
          sockets.add(s);
        }
      } catch (IOException e) {
        closeQuietly(client);
        ended();
        continue;
      }
      AtomicLong perConnection = fromServerByConnection.computeIfAbsent(id, k -> new AtomicLong());
      AtomicInteger running = new AtomicInteger(2);
      Runnable done = () -> {
        if (running.decrementAndGet() == 0) {
          sockets.remove(client);
          sockets.remove(origin);
          ended();
        }
      };
      daemon("proxy-" + id + "-up", () -> {
        try {
          pumpRequests(id, client, origin);
        } finally {
          done.run();
        }
      });
      daemon("proxy-" + id + "-down", () -> {
        try {
          pumpResponses(origin, client, perConnection);
        } finally {
          done.run();
        }
      });
    }
  }

  private void ended() {
    synchronized (idle) {
      open--;
      idle.notifyAll();
    }
  }

  /** Client to server: forwarded as is, headers parsed on the way. */
  private void pumpRequests(int id, Socket client, Socket origin) {
    RequestParser parser = new RequestParser(id);
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = client.getInputStream()) {
      OutputStream out = origin.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        parser.feed(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      origin.shutdownOutput(); // the client is done asking; let the server finish answering
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(origin);
    }
  }

  /** Server to client: counted as read from the server, then as handed to the client. */
  private void pumpResponses(Socket origin, Socket client, AtomicLong perConnection) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = origin.getInputStream();
      OutputStream out = client.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        fromServer.addAndGet(n);
        perConnection.addAndGet(n);
        out.write(buffer, 0, n);
        toClient.addAndGet(n);
      }
    } catch (IOException e) {
      // the client hung up (as ffprobe does mid-response), or the server did: either ends it
    } finally {
      closeQuietly(origin);
      closeQuietly(client);
    }
  }

  private void record(Request request) {
    synchronized (requests) {
      requests.add(request);
    }
  }

  /** Frames requests by their headers and Content-Length; bodies are skipped, not kept. */
  private final class RequestParser {
    private final int connection;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private long bodyLeft;
    private int lastFour;
    private boolean lost;

    RequestParser(int connection) {
      this.connection = connection;
    }

    void feed(byte[] bytes, int offset, int length) {
      int i = offset;
      int end = offset + length;
      while (i < end && !lost) {
        if (bodyLeft > 0) {
          int skip = (int) Math.min(bodyLeft, end - i);
          bodyLeft -= skip;
          i += skip;
          continue;
        }
        byte b = bytes[i++];
        head.write(b);
        lastFour = lastFour << 8 | (b & 0xff);
        if (lastFour == BLANK_LINE) {
          parse(head.toString(StandardCharsets.ISO_8859_1));
          head.reset();
          lastFour = 0;
        } else if (head.size() > MAX_HEADER_BYTES) {
          lose("headers over " + MAX_HEADER_BYTES + " bytes");
        }
      }
    }

    private void parse(String text) {
      String[] lines = text.split("\r\n");
      String[] first = lines[0].split(" ");
      if (first.length < 2) {
        lose("request line '" + lines[0] + "'");
        return;
      }
      String range = null;
      long contentLength = 0;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        switch (name) {
          case "range" -> range = value;
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> {
            if (!value.equalsIgnoreCase("identity")) {
              lose("a " + value + " body");
            }
          }
          default -> { }
        }
      }
      record(new Request(connection, first[0], first[1], range));
      bodyLeft = contentLength;
    }

    private void lose(String why) {
      lost = true;
      record(new Request(connection, "?", "(cannot frame: " + why + ")", null));
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }
}
