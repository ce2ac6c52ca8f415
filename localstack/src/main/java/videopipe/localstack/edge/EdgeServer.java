package videopipe.localstack.edge;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import videopipe.localstack.Loopback;

/**
 * The local stack's one port (4566 by default, like LocalStack): each request goes, by its
 * protocol's markers ({@link Routing}), to the emulator serving that service on its own loopback
 * port, so that {@code AWS_ENDPOINT_URL=http://127.0.0.1:4566} serves every service to the AWS
 * SDKs and CLI.
 *
 * <p>A reverse proxy at the HTTP/1.1 message level, over plain sockets, because what it must keep
 * rules out the servers and clients at hand: SigV4 signs the Host header and the other headers as
 * sent, and the JDK's {@code HttpClient} and {@code HttpURLConnection} refuse to set Host (a
 * JVM-wide switch aside), while the JDK's {@code HttpServer} answers {@code 100 Continue} itself
 * and renames header fields; S3Proxy's Jetty is shaded without its client or proxy modules. Here
 * the request's head is forwarded as it came, byte for byte; the bodies stream both ways in their
 * own framing (chunked included) through 64 KiB buffers, so a 1 GiB upload is never held; the
 * request body is copied on a thread of its own while the response is read, so that a service's
 * {@code 100 Continue} (or its early refusal) reaches a client waiting on {@code Expect:
 * 100-continue}. Each request gets a fresh connection to its service (loopback: cheap), so one
 * client connection may carry requests for different services, as the SDKs' shared pools do.
 *
 * <p>What the edge answers itself, in the protocol's error shape: an {@code X-Amz-Target} no
 * service serves (400 {@code UnknownOperationException}), a malformed message (400), and a service
 * not running in this stack or not answering (502 {@code ServiceUnavailable}, naming it).
 */
public final class EdgeServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
  /** An idle keep-alive connection is closed after this (the JDK's HttpClient keeps them 20 min). */
  private static final int IDLE_MILLIS = (int) TimeUnit.MINUTES.toMillis(2);
  private static final int CONNECT_MILLIS = 10_000;
  /**
   * How long a finished exchange waits for its request body to finish being copied: only a
   * service answering before reading the whole body (a refusal) leaves it unfinished, and then the
   * client connection is closed instead, its framing unknown.
   */
  private static final long BODY_GRACE_SECONDS = 10;

  private final ServerSocket listener;
  private final Map<Service, URI> backends;
  private final ExecutorService threads = Executors.newCachedThreadPool(Loopback.daemons("edge"));
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EdgeServer(ServerSocket listener, Map<Service, URI> backends) {
    this.listener = listener;
    this.backends = backends;
  }

  /**
   * Listens on 127.0.0.1 at {@code port} (0 for any free one) and routes to {@code backends}, the
   * {@code http://127.0.0.1:<port>} of each service's emulator; a service absent from it is
   * answered 502, naming it.
   */
  public static EdgeServer start(int port, Map<Service, URI> backends) throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true); // a restarted stack rebinds 4566 while old connections linger in TIME_WAIT
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    } catch (IOException e) {
      listener.close();
      throw new IOException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")", e);
    }
    Map<Service, URI> routes = new EnumMap<>(Service.class);
    routes.putAll(backends);
    EdgeServer edge = new EdgeServer(listener, Map.copyOf(routes));
    Thread acceptor = Loopback.daemons("edge-accept").newThread(edge::accept);
    acceptor.start();
    return edge;
  }

  /** {@code http://127.0.0.1:<port>}, with the port actually bound. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Where each service is served behind the edge. */
  public Map<Service, URI> backends() {
    return backends;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("edge stopped accepting connections", e);
        }
        return;
      }
      open.add(client);
      try {
        threads.execute(() -> serve(client));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeQuietly(client);
      }
    }
  }

  /** One client connection: its requests one after the other, until either side closes it. */
  private void serve(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream(), Body.BUFFER);
      OutputStream out = client.getOutputStream();
      boolean keepAlive = true;
      while (keepAlive && !closed) {
        client.setSoTimeout(IDLE_MILLIS);
        HttpHead request;
        try {
          request = HttpHead.read(in);
        } catch (SocketTimeoutException idle) {
          return;
        } catch (EdgeException e) {
          answer(out, null, null, e, true);
          return;
        }
        if (request == null) {
          return;
        }
        client.setSoTimeout(0);
        keepAlive = exchange(request, in, out);
      }
    } catch (IOException e) {
      log.debug("edge connection ended: {}", e.toString());
    } finally {
      open.remove(client);
    }
  }

  /** Forwards one request and its response; whether the client connection may carry another. */
  private boolean exchange(HttpHead request, InputStream in, OutputStream out) throws IOException {
    Service service = null;
    Body requestBody;
    String method;
    String version;
    try {
      method = request.first();
      version = request.third();
      requestBody = Body.ofRequest(request);
      service = Routing.route(request.second(), request.value("X-Amz-Target"));
    } catch (EdgeException e) {
      answer(out, request, service, e, true);
      return false;
    }
    boolean clientCloses = request.closes(version);
    URI backend = backends.get(service);
    if (backend == null) {
      return refuse(request, requestBody, in, out, service, "the local " + service.title
          + " does not run in this stack", clientCloses);
    }
    try (Socket upstream = new Socket()) {
      open.add(upstream);
      try {
        upstream.connect(new InetSocketAddress(backend.getHost(), backend.getPort()), CONNECT_MILLIS);
      } catch (IOException e) {
        return refuse(request, requestBody, in, out, service, "the local " + service.title + " at " + backend
            + " does not answer (" + e.getMessage() + ")", clientCloses);
      }
      upstream.setTcpNoDelay(true);
      OutputStream up = upstream.getOutputStream();
      InputStream down = new BufferedInputStream(upstream.getInputStream(), Body.BUFFER);
      up.write(request.raw());
      up.flush();
      Future<?> sending = requestBody == Body.NONE ? null : threads.submit(() -> {
        requestBody.copy(request, in, up);
        return null;
      });
      HttpHead response;
      boolean answered = false;
      try {
        while (true) {
          response = HttpHead.read(down);
          if (response == null) {
            throw new java.io.EOFException("it closed the connection without answering");
          }
          out.write(response.raw());
          out.flush();
          answered = true;
          int status = response.status();
          if (status >= 200 || status == 101) {
            break;
          }
          // 100 Continue (the client may now send its body), 103 Early Hints: a final answer follows.
          answered = false;
        }
        Body.ofResponse(method, response).copy(response, down, out);
      } catch (IOException | EdgeException e) {
        if (answered || (sending != null && !sending.isDone())) {
          throw e instanceof IOException io ? io : new IOException(e);
        }
        answer(out, request, service, new EdgeException(EdgeException.Code.ServiceUnavailable,
            "the local " + service.title + " at " + backend + " failed to answer (" + e.getMessage() + ")"), true);
        return false;
      }
      boolean keepAlive = !clientCloses && !response.closes(response.first())
          && Body.ofResponse(method, response) != Body.UNTIL_CLOSE;
      // Closing anyway: no need to wait for a body the service may never read.
      return keepAlive && (sending == null || sent(sending));
    } finally {
      open.removeIf(s -> s.isClosed());
    }
  }

  /** Whether the request body was copied whole, so that the client connection is at a message boundary. */
  private static boolean sent(Future<?> sending) {
    try {
      sending.get(BODY_GRACE_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      sending.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Answers 502 for a service that cannot take the request. The body the client has sent or is
   * sending is read and dropped, so that the connection stays usable; a client waiting on {@code
   * Expect: 100-continue} sends none, so its connection is closed instead.
   */
  private boolean refuse(HttpHead request, Body body, InputStream in, OutputStream out, Service service,
      String message, boolean clientCloses) throws IOException {
    EdgeException e = new EdgeException(EdgeException.Code.ServiceUnavailable, message);
    boolean close = clientCloses || request.hasToken("Expect", "100-continue");
    if (!close) {
      body.copy(request, in, OutputStream.nullOutputStream());
    }
    answer(out, request, service, e, close);
    log.warn("{} {}: {}", request.first(), service, message);
    return !close;
  }

  /** Writes the edge's own error, in the JSON protocols' shape or S3's XML. */
  private static void answer(OutputStream out, HttpHead request, Service service, EdgeException e, boolean close)
      throws IOException {
    String requestId = UUID.randomUUID().toString();
    boolean json = service != null ? service.json : request != null && request.value("X-Amz-Target") != null;
    String body;
    String contentType;
    if (json) {
      contentType = "application/x-amz-json-1.1";
      body = "{\"__type\":\"" + e.code + "\",\"message\":\"" + jsonEscape(e.getMessage()) + "\"}";
    } else {
      contentType = "application/xml";
      body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + e.code + "</Code><Message>"
          + xmlEscape(e.getMessage()) + "</Message><RequestId>" + requestId + "</RequestId></Error>";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + e.code.status + " " + (e.code.status == 400 ? "Bad Request" : "Bad Gateway") + "\r\n"
        + "Content-Type: " + contentType + "\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + "x-amzn-RequestId: " + requestId + "\r\n"
        + "x-amz-request-id: " + requestId + "\r\n"
        + "x-amzn-ErrorType: " + e.code + "\r\n"
        + (close ? "Connection: close\r\n" : "")
        + "\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (request == null || !request.first().equals("HEAD")) {
      out.write(bytes);
    }
    out.flush();
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** Stops listening and closes every connection, in flight or idle. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("closing the edge listener: {}", e.toString());
    }
    open.forEach(EdgeServer::closeQuietly);
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "EdgeServer[" + endpoint() + " -> " + backends + "]";
  }
}
