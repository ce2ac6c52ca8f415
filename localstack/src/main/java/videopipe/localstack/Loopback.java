package videopipe.localstack;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every emulator's server shares: it listens on the loopback address only (never beyond this
 * machine), and its threads are daemons, so a server a test forgot to close never keeps a JVM alive.
 */
public final class Loopback {

  /*
   * The JDK's HttpServer leaves Nagle's algorithm on unless this property says otherwise, and reads
   * it once, when the first server of the JVM starts. With it on, a response goes out as two
   * writes (headers, then body): the body waits for the client's ACK of the headers, which the
   * client delays by up to 40 ms. Every local API call paid that (the upload API benchmark: 20
   * requests/s through the gateway with an instant function, 700 with this set). Every server here
   * touches this class before it creates its HttpServer; an explicit setting is left alone.
   */
  static {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private Loopback() {}

  /** Daemon threads named {@code name-1}, {@code name-2}, … */
  public static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Serves {@code handler} on 127.0.0.1:{@code port} (0: any free port) with a pool of daemon threads. */
  public static HttpServer serve(int port, String name, int threads, HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", handler);
    server.setExecutor(Executors.newFixedThreadPool(threads, daemons(name)));
    server.start();
    return server;
  }

  /** {@code http://127.0.0.1:<port>} of a started server. */
  public static URI endpoint(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }
}
