package videopipe.localstack.dynamodb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import videopipe.localstack.DirectoryLock;

/**
 * DynamoDB on loopback: dynalite (npm, DynamoDB's API over LevelDB) run as a child {@code node}
 * process, in memory or on disk.
 *
 * <p>The child never outlives us. It runs {@code dynalite-child.js}, which stops when its stdin
 * reaches end-of-file; we hold the other end of that pipe, so {@link #close()}, a normal JVM exit
 * (shutdown hook) and a JVM killed outright (the OS closes the pipe) all end it.
 *
 * <p>dynalite checks requests like DynamoDB (names, sizes, expressions, conditional writes, GSIs)
 * but not signatures: any credentials do, as long as the request is signed (it wants an
 * {@code X-Amz-Date} header). It has no TransactWriteItems.
 */
public final class DynamoEmulator implements AutoCloseable {

  /** dynalite accepts any region; this is the one we tell clients to use. */
  public static final String REGION = "us-east-1";
  private static final String HOST = "127.0.0.1";
  private static final String WRAPPER = "dynalite-child.js";
  private static final Pattern READY = Pattern.compile("\\{\"port\":(\\d+)}");
  private static final int STDERR_TAIL = 8 * 1024;

  /**
   * How to start the emulator.
   *
   * @param port the loopback port, or 0 for an ephemeral one ({@link #endpoint()} tells which)
   * @param dataDir where LevelDB keeps tables across restarts, or null to keep them in memory
   * @param dynaliteHome the node_modules folder holding dynalite, or null to find it (see
   *     {@link DynaliteHome}: system property {@code videopipe.dynalite.home}, environment
   *     variable {@code VIDEOPIPE_DYNALITE_HOME}, else where the localstack build installed it)
   * @param node the node executable, a path or a name looked up on PATH
   * @param startTimeout how long dynalite may take to answer
   */
  public record Options(int port, Path dataDir, Path dynaliteHome, String node, Duration startTimeout) {

    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (ephemeral) or 1-65535, was " + port);
      }
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** In memory, on an ephemeral port, with {@code node} from PATH. */
    public static Options inMemory() {
      return new Options(0, null, null, "node", Duration.ofSeconds(30));
    }

    /** Tables kept under {@code dataDir} (created if missing), so that they survive a restart. */
    public static Options onDisk(Path dataDir) {
      return inMemory().withDataDir(Objects.requireNonNull(dataDir, "dataDir"));
    }

    public Options withPort(int port) {
      return new Options(port, dataDir, dynaliteHome, node, startTimeout);
    }

    public Options withDataDir(Path dataDir) {
      return new Options(port, dataDir, dynaliteHome, node, startTimeout);
    }

    public Options withDynaliteHome(Path dynaliteHome) {
      return new Options(port, dataDir, dynaliteHome, node, startTimeout);
    }

    public Options withNode(String node) {
      return new Options(port, dataDir, dynaliteHome, node, startTimeout);
    }

    public Options withStartTimeout(Duration startTimeout) {
      return new Options(port, dataDir, dynaliteHome, node, startTimeout);
    }
  }

  private final Process process;
  private final URI endpoint;
  private final Thread shutdownHook;
  /** Held while an on-disk store is ours; null in memory. */
  private final DirectoryLock dataDirLock;
  private volatile boolean closed;

  private DynamoEmulator(Process process, int port, DirectoryLock dataDirLock) {
    this.process = process;
    this.dataDirLock = dataDirLock;
    this.endpoint = URI.create("http://" + HOST + ":" + port);
    this.shutdownHook = new Thread(this::stop, "dynalite-shutdown-" + process.pid());
  }

  /**
   * Starts dynalite and returns once it has answered a ListTables (the wrapper sends one before
   * announcing its port); fails with its stderr if it does not.
   */
  public static DynamoEmulator start(Options options) {
    Path home = options.dynaliteHome() != null
        ? DynaliteHome.check(options.dynaliteHome(), "Options.dynaliteHome")
        : DynaliteHome.locate();
    NodeRuntime.require(options.node());
    Path wrapper = extractWrapper();
    try {
      return start(options, home, wrapper);
    } finally {
      // node has read the script by the time it listens, or it is dead
      delete(wrapper);
    }
  }

  private static DynamoEmulator start(Options options, Path home, Path wrapper) {
    List<String> command = new ArrayList<>(List.of(options.node(), wrapper.toString(),
        home.toAbsolutePath().toString(), Integer.toString(options.port())));
    DirectoryLock lock = null;
    if (options.dataDir() != null) {
      Path dir = createDirectories(options.dataDir());
      lock = lockDataDir(dir);
      command.add(dir.toString());
    }
    Process process;
    try {
      // stdin stays a pipe (the default) on purpose: its end-of-file is how the child knows to stop.
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      release(lock);
      throw new UncheckedIOException("cannot start " + command, e);
    }
    // Read for the life of the child: a full stderr pipe would block it.
    StderrTail stderr = StderrTail.follow(process);
    CompletableFuture<Integer> ready = readyPort(process);
    int port;
    try {
      port = ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      release(lock);
      throw new IllegalStateException("interrupted while starting dynalite", e);
    } catch (ExecutionException | TimeoutException e) {
      kill(process);
      release(lock);
      String why = e instanceof TimeoutException
          ? "did not answer within " + options.startTimeout()
          : "exited with code " + process.exitValue() + " before answering";
      throw new IllegalStateException("dynalite " + why + " (" + command + "); its stderr:\n" + stderr.awaitText());
    }
    DynamoEmulator emulator = new DynamoEmulator(process, port, lock);
    Runtime.getRuntime().addShutdownHook(emulator.shutdownHook);
    return emulator;
  }

  /**
   * Takes the data directory for this emulator, or fails naming it. LevelDB's own LOCK file is not
   * enough: it is an fcntl lock, which a process drops whenever it closes ANY handle on that file,
   * and dynalite (opening after our wrapper's probe) can lose it that way, letting a second dynalite
   * open the same store. This lock is the JVM's, held until {@link #close()}.
   */
  private static DirectoryLock lockDataDir(Path dir) {
    try {
      return DirectoryLock.acquire(dir, "videopipe-dynalite.lock", "dynalite (is another local stack using it?)");
    } catch (IOException e) {
      throw new IllegalStateException("dynalite cannot open its LevelDB store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void release(DirectoryLock lock) {
    if (lock != null) {
      lock.close();
    }
  }

  /** Reads the child's stdout: the first line gives the port; the rest is drained so it never blocks. */
  private static CompletableFuture<Integer> readyPort(Process process) {
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = READY.matcher(line);
          if (!ready.isDone() && m.find()) {
            ready.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the stream closes when the process ends; reported below if it never got ready
      } finally {
        ready.completeExceptionally(new IllegalStateException("dynalite's stdout closed"));
      }
    }, "dynalite-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  /**
   * The wrapper script, copied out of the jar (node cannot run it from inside), one copy per start:
   * the caller deletes it once node has loaded it, so that even a JVM that is killed later leaves
   * no file behind, and no start can delete another's copy.
   */
  private static Path extractWrapper() {
    try (InputStream in = DynamoEmulator.class.getResourceAsStream(WRAPPER)) {
      if (in == null) {
        throw new IllegalStateException(WRAPPER + " is missing from the classpath next to " + DynamoEmulator.class.getName());
      }
      Path script = Files.createTempFile("videopipe-dynalite-child", ".js");
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + WRAPPER, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stray temp file is not worth failing a start for
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir.toAbsolutePath().normalize());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the DynamoDB data directory " + dir, e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, with the port actually bound. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  public String region() {
    return REGION;
  }

  /** The node process's id: for operators and for tests that check it is gone. */
  public long pid() {
    return process.pid();
  }

  /**
   * Stops dynalite and waits for it to exit; an on-disk store is closed cleanly first. Idempotent.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // close() called from another shutdown hook: ours is running or about to, and is harmless
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill(process);
      }
    } catch (IOException e) {
      kill(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
    } finally {
      release(dataDirLock);
    }
  }

  private static void kill(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DynamoEmulator[" + endpoint + ", pid " + process.pid() + (closed ? ", closed" : "") + "]";
  }

  /** The last few KiB of the child's stderr, for the error when it dies. */
  private static final class StderrTail {
    private final StringBuilder tail = new StringBuilder();
    private final Thread reader;

    private StderrTail(Process process) {
      reader = new Thread(() -> {
        try (InputStreamReader err = new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
          char[] buf = new char[1024];
          int n;
          while ((n = err.read(buf)) != -1) {
            synchronized (tail) {
              tail.append(buf, 0, n);
              if (tail.length() > STDERR_TAIL) {
                tail.delete(0, tail.length() - STDERR_TAIL);
              }
            }
          }
        } catch (IOException e) {
          // the stream closes when the process ends
        }
      }, "dynalite-stderr-" + process.pid());
      reader.setDaemon(true);
    }

    static StderrTail follow(Process process) {
      StderrTail t = new StderrTail(process);
      t.reader.start();
      return t;
    }

    /** What was written, once the (dead) process's stream is fully read. */
    String awaitText() {
      try {
        reader.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (tail) {
        return tail.length() == 0 ? "(empty)" : tail.toString();
      }
    }
  }
}
