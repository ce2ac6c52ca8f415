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
