package videopipe.localstack.stepfunctions;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import videopipe.localstack.DirectoryLock;
import videopipe.localstack.JsonProtocol;
import videopipe.localstack.Loopback;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.statemachines.engine.Engine;
import videopipe.statemachines.engine.Invocation;
import videopipe.statemachines.engine.TaskInvoker;
import videopipe.statemachines.engine.Timer;

/**
 * A local AWS Step Functions: this project's ASL engine served over the Step Functions API (the
 * AWS JSON 1.0 protocol, {@code X-Amz-Target: AWSStepFunctions.<Operation>}) on a loopback port,
 * so that the AWS SDKs' {@code SfnClient} and the AWS CLI work against it unchanged, given the
 * endpoint ({@code AWS_ENDPOINT_URL_SFN}, {@code aws.endpointUrlSfn}, {@code --endpoint-url}).
 * Requests are not authenticated: any credentials do.
 *
 * <p>Task states call Lambda functions through the {@link TaskInvoker} given at start (the local
 * Lambda runtime, or in-process functions in tests). Alone, from the command line:
 * <pre>
 * java -cp localstack.jar:… videopipe.localstack.stepfunctions.StepFunctionsServer --port 8083
 * </pre>
 * where Task states fail with {@code Lambda.ResourceNotFoundException}, there being no functions.
 */
public final class StepFunctionsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StepFunctionsServer.class);
  private static final JsonProtocol.Service SERVICE = new JsonProtocol.Service("Step Functions", "AWSStepFunctions.",
      "application/x-amz-json-1.0", StepFunctionsException.Code.UnknownOperationException,
      StepFunctionsException.Code.SerializationException, StepFunctionsException.Code.InternalFailure);

  private final HttpServer server;
  private final ExecutorService http;
  private final ExecutorService executions;
  private final ScheduledExecutorService timers;
  private final StepFunctionsApi api;
  private final Engine engine;
  private final java.util.Map<String, TaskInvoker> functions;
  private final List<Consumer<ExecutionStatusChange>> listeners;
  private final DirectoryLock data;
  private final List<String> problems;

  private StepFunctionsServer(HttpServer server, ExecutorService http, ExecutorService executions,
                              ScheduledExecutorService timers, Engine engine, StepFunctionsApi api,
                              java.util.Map<String, TaskInvoker> functions, List<Consumer<ExecutionStatusChange>> listeners,
                              DirectoryLock data, List<String> problems) {
    this.problems = problems;
    this.functions = functions;
    this.listeners = listeners;
    this.data = data;
    this.server = server;
    this.http = http;
    this.executions = executions;
    this.timers = timers;
    this.engine = engine;
    this.api = api;
  }

  /**
   * Starts on 127.0.0.1 at {@code port} (0 for any free port), with its own engine whose tasks
   * call {@code invoker} (unless a {@link #function} was routed elsewhere), reporting ARNs in
   * {@code region} and {@code account}. In memory: everything is gone when it stops.
   */
  public static StepFunctionsServer start(int port, String region, String account, TaskInvoker invoker)
      throws IOException {
    return start(port, region, account, invoker, null, event -> { });
  }

  /**
   * As {@link #start(int, String, String, TaskInvoker)}, keeping state machines and executions
   * (with their histories) in {@code dataDir} (null: in memory), so that a server started again on
   * it answers as before and resumes the executions that were running.
   */
  public static StepFunctionsServer start(int port, String region, String account, TaskInvoker invoker, Path dataDir)
      throws IOException {
    return start(port, region, account, invoker, dataDir, event -> { });
  }

  /**
   * Starts on 127.0.0.1 at {@code port}, with its state in {@code dataDir} (null: in memory; else
   * created if missing, and locked: a second server on the same directory fails with an
   * {@link IOException} naming it). Every execution status change goes to {@code events} (see
   * {@link #toEventBridge}), including those of executions resumed from {@code dataDir}. What
   * could not be read back from {@code dataDir} (a journal cut short by a crash, an unreadable
   * file, kept aside) is logged as a warning; the server starts with everything else.
   */
  public static StepFunctionsServer start(int port, String region, String account, TaskInvoker invoker, Path dataDir,
                                          Consumer<ExecutionStatusChange> events) throws IOException {
    DirectoryLock data = dataDir == null ? null : DirectoryLock.acquire(dataDir, "lock", "local Step Functions");
    Clock clock = Clock.systemUTC();
    ExecutorService executions = Executors.newFixedThreadPool(
        Math.max(4, Runtime.getRuntime().availableProcessors()), Loopback.daemons("sfn-execution"));
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Loopback.daemons("sfn-timer"));
    ExecutorService http = Executors.newFixedThreadPool(8, Loopback.daemons("sfn-http"));
    try {
      // The engine draws from any thread: one generator per thread, shared by none.
      RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
      java.util.Map<String, TaskInvoker> functions = new java.util.concurrent.ConcurrentHashMap<>();
      TaskInvoker routed = (function, payload) -> {
        TaskInvoker f = functions.get(function);
        if (f == null) {
          f = functions.get(function.substring(function.lastIndexOf(':') + 1));
        }
        return (f != null ? f : invoker).invoke(function, payload);
      };
      Engine engine = new Engine(routed, clock, random, executions, Timer.scheduled(timers, clock), region, account,
          data == null ? null : data.dir().resolve("executions"));
      List<Consumer<ExecutionStatusChange>> listeners = new CopyOnWriteArrayList<>();
      listeners.add(events);
      engine.onStatusChange(execution -> {
        ExecutionStatusChange event = ExecutionStatusChange.of(execution);
        for (Consumer<ExecutionStatusChange> l : listeners) {
          try {
            l.accept(event);
          } catch (RuntimeException e) {
            log.warn("a listener of execution status changes failed on {}", execution.arn(), e);
          }
        }
      });
      StepFunctionsApi api = new StepFunctionsApi(engine, region, account, clock,
          data == null ? null : data.dir().resolve("state-machines.jsonl"));
      List<String> problems = new ArrayList<>();
      if (data != null) {
        Engine.Recovered recovered = engine.recover();
        problems.addAll(api.restore(recovered.executions()));
        problems.addAll(recovered.problems());
        problems.forEach(p -> log.warn("the local Step Functions' data directory: {}", p));
        log.info("the local Step Functions read back {} executions from {} and resumed the {} that were running",
            recovered.executions().size(), data.dir(), recovered.resumed());
      }
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      StepFunctionsServer sfn = new StepFunctionsServer(server, http, executions, timers, engine, api, functions, listeners,
          data, List.copyOf(problems));
      server.createContext("/", new JsonProtocol(SERVICE, StepFunctionsApi.JSON, api::dispatch));
      server.setExecutor(http);
      server.start();
      return sfn;
    } catch (IOException | RuntimeException e) {
      http.shutdown();
      executions.shutdownNow();
      timers.shutdownNow();
      if (data != null) {
        data.close();
      }
      throw e;
    }
  }

  /**
   * A sink putting each execution status change on {@code bus} of a local EventBridge, as Step
   * Functions puts them on the account's default bus.
   */
  public static Consumer<ExecutionStatusChange> toEventBridge(EventBridgeEmulator eventBridge, String bus) {
    return e -> eventBridge.putEvent(bus, e.source(), e.detailType(), e.resources(), e.detail());
  }

  /** Adds a listener of execution status changes, until the returned handle is closed. */
  public AutoCloseable onStatusChange(Consumer<ExecutionStatusChange> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** A task invoker for a Step Functions without Lambda: every Task fails, naming the function. */
  public static TaskInvoker noFunctions() {
    return (function, payload) -> CompletableFuture.completedFuture(new Invocation.Failed(
        "Lambda.ResourceNotFoundException", "Function not found: " + function
            + " (this local Step Functions runs without a Lambda runtime)"));
  }

  /**
   * Routes the Task calls of one Lambda function, named by its ARN or its name (the ARN's last
   * part), to {@code function} instead of the invoker given at start, until the returned handle is
   * closed: how tests of a shared run give their own in-process functions.
   */
  public AutoCloseable function(String nameOrArn, TaskInvoker function) {
    if (functions.putIfAbsent(nameOrArn, function) != null) {
      throw new IllegalStateException("function " + nameOrArn + " is already routed");
    }
    return () -> functions.remove(nameOrArn, function);
  }

  public URI endpoint() {
    return Loopback.endpoint(server);
  }

  /** The engine behind the API, for the local stack's own wiring (EventBridge targets, the console). */
  public Engine engine() {
    return engine;
  }

  /**
   * What could not be read back from the data directory at start (one sentence each: a journal
   * cut short by a crash, a file skipped as unreadable); empty in memory or when all was read.
   */
  public List<String> dataDirProblems() {
    return problems;
  }

  /**
   * Stops serving; steps under way finish (not interrupted, so that no journal line is cut),
   * and executions rest where they are: with a data directory, the next server resumes them.
   */
  @Override
  public void close() {
    engine.close();
    server.stop(0);
    http.shutdownNow();
    timers.shutdownNow();
    executions.shutdown();
    try {
      if (!executions.awaitTermination(5, TimeUnit.SECONDS)) {
        executions.shutdownNow();
      }
    } catch (InterruptedException e) {
      executions.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (data != null) {
      data.close();
    }
  }

  /**
   * Runs a Step Functions alone: {@code --port N} (default 8083), {@code --region R} (default
   * us-east-1), {@code --account A} (default 000000000000), {@code --data-dir DIR} (default: in
   * memory). Stops on Ctrl-C.
   */
  public static void main(String[] args) throws Exception {
    int port = 8083;
    String region = "us-east-1";
    String account = "000000000000";
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        case "--region" -> region = require(args[i], value);
        case "--account" -> account = require(args[i], value);
        case "--data-dir" -> dataDir = Path.of(require(args[i], value));
        default -> {
          System.err.println("usage: StepFunctionsServer [--port 8083] [--region us-east-1] [--account 000000000000]"
              + " [--data-dir DIR]");
          System.exit(2);
        }
      }
      i++;
    }
    StepFunctionsServer sfn = start(port, region, account, noFunctions(), dataDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sfn.close();
      stopped.countDown();
    }));
    System.out.println("Step Functions (local) listening on " + sfn.endpoint() + " (region " + region + ", account "
        + account + ")");
    stopped.await();
  }

  private static String require(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
