package videopipe.localstack.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import videopipe.localstack.Loopback;
import videopipe.localstack.apigateway.LambdaIntegration;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.Invocation;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * A local Lambda: runs the functions jar the way Lambda runs a deployment package. The local stack
 * never compiles against the functions; it loads the jar by path, each function in its own class
 * loader (JDK + the jar, nothing of ours) with its own environment, and calls Spring Cloud
 * Function's {@code FunctionInvoker.handleRequest} with the exact event bytes, as Lambda's Java
 * runtime does.
 *
 * <p>Each function has at most {@code concurrency} containers (its reserved concurrency from the
 * manifest, else the runtime's default), created on demand and reused warm. An invocation waits for
 * a free container at most as long as the function's timeout, then is throttled
 * ({@code TooManyRequestsException}, which Step Functions retries). A function that runs past its
 * timeout answers {@code Sandbox.Timedout} and its container is thrown away.
 *
 * <p>Memory is reported ({@code Context.getMemoryLimitInMB}) but not enforced: every container
 * shares this JVM's heap.
 */
public final class LocalLambda implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalLambda.class);
  /** Lambda's synchronous payload limit, request and response (6 MB). */
  static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
  /** Lambda's asynchronous (Event) payload limit (256 KB). */
  static final int MAX_ASYNC_PAYLOAD = 256 * 1024;

  /** What an invocation answered: the payload, and {@code Unhandled} when it is a function error. */
  public record Result(byte[] payload, String functionError) {
    public boolean failed() {
      return functionError != null;
    }
  }

  /** A function as deployed: what the runtime needs of the manifest entry, and its environment. */
  record Deployed(String name, String arn, String bean, int timeoutSeconds, int memoryMb,
                  Map<String, String> environment, Semaphore permits, Deque<Container> warm, AtomicInteger ids) {}

  private final Path jar;
  private final String region;
  private final String account;
  private final int defaultConcurrency;
  private final Duration initTimeout;
  private final Map<String, Deployed> functions = new ConcurrentHashMap<>();
  private final ExecutorService async;

  /**
   * @param jar the functions jar ({@code functions-*-aws.jar}), as Pulumi deploys it
   * @param defaultConcurrency containers per function when the manifest reserves none
   * @param initTimeout how long a container may take to start (Lambda allows 10 s; a local cold
   *     start of a Spring application in a fresh class loader, on a loaded machine, needs more)
   */
  public LocalLambda(Path jar, String region, String account, int defaultConcurrency, Duration initTimeout) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no functions jar at " + jar + " (build it: ./mvnw -pl functions package)");
    }
    this.jar = jar;
    this.region = region;
    this.account = account;
    this.defaultConcurrency = defaultConcurrency;
    this.initTimeout = initTimeout;
    this.async = Executors.newCachedThreadPool(Loopback.daemons("lambda-async"));
  }

  public LocalLambda(Path jar, String region, String account) {
    this(jar, region, account, 4, Duration.ofSeconds(60));
  }

  /** The manifest of the jar this runtime runs. */
  public FunctionManifest manifest() {
    return FunctionManifest.fromJar(jar);
  }

  /**
   * Deploys every function of the jar's manifest, each with the values of {@code stack} for the
   * variables the manifest declares for it, and only those: a function whose entry forgets a
   * variable misses it here as it would on AWS.
   */
  public void deployAll(Map<String, String> stack) {
    for (FunctionManifest.Function f : manifest().functions().values()) {
      deploy(f.name(), f, stack);
    }
  }

  /**
   * Deploys {@code spec} under {@code name} (which may differ from the manifest's, to run one bean
   * twice with two environments), with the values of {@code values} that {@code spec} declares.
   * Replaces a function of that name, as UpdateFunctionConfiguration does: new containers only.
   */
  public void deploy(String name, FunctionManifest.Function spec, Map<String, String> values) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String variable : spec.environment()) {
      requireNotShadowed(name, variable);
      String value = values.get(variable);
      if (value != null) {
        environment.put(variable, value);
      }
    }
    // What Lambda sets for every function, and what selects the bean (SPRING_CLOUD_FUNCTION_DEFINITION
    // on Lambda, which Spring reads as this property).
    environment.put("AWS_LAMBDA_FUNCTION_NAME", name);
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_REGION", region);
    environment.put("spring.cloud.function.definition", spec.bean());
    int concurrency = spec.reservedConcurrency() > 0 ? spec.reservedConcurrency() : defaultConcurrency;
    Deployed deployed = new Deployed(name, functionArn(name), spec.bean(), spec.timeoutSeconds(), spec.memoryMb(),
        Map.copyOf(environment), new Semaphore(concurrency, true), new ConcurrentLinkedDeque<>(), new AtomicInteger());
    Deployed previous = functions.put(name, deployed);
    if (previous != null) {
      retire(previous);
    }
  }

  /**
   * Spring ranks this JVM's system properties and environment variables above application.properties:
   * one of the functions' variables set JVM-wide (an exported CATALOG_TABLE in the shell that
   * started the stack) would silently override every function's own value. Refused, naming it.
   */
  private static void requireNotShadowed(String function, String variable) {
    if (System.getenv(variable) != null || System.getProperty(variable) != null) {
      throw new IllegalStateException(variable + " is set in this JVM's " + (System.getenv(variable) != null
          ? "environment" : "system properties") + ": it would override function " + function
          + "'s own value (Spring ranks it above the function's environment); unset it");
    }
  }

  public String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }

  /** The deployed functions' names. */
  public List<String> functionNames() {
    return List.copyOf(functions.keySet());
  }

  /**
   * Invokes a function synchronously (RequestResponse) with {@code event}, the JSON Lambda would
   * deliver. {@code function} is a name, a full or partial ARN, optionally qualified
   * ({@code :$LATEST}, the only version here).
   *
   * @throws LambdaException for Lambda's own errors (no such function, not JSON, too large, throttled)
   */
  public Result invoke(String function, byte[] event) {
    Deployed f = resolve(function);
    if (event.length > MAX_SYNC_PAYLOAD) {
      throw new LambdaException(LambdaException.Code.RequestTooLargeException,
          "Request must be smaller than " + MAX_SYNC_PAYLOAD + " bytes for the InvokeFunction operation");
    }
    requireJson(event);
    return run(f, event);
  }

  /**
   * Invokes asynchronously (Event): checks the request now, runs it later. A failure is logged,
   * not retried (Lambda retries twice, then sends to a destination: not here yet).
   */
  public void invokeAsync(String function, byte[] event) {
    Deployed f = resolve(function);
    if (event.length > MAX_ASYNC_PAYLOAD) {
      throw new LambdaException(LambdaException.Code.RequestTooLargeException,
          "Request must be smaller than " + MAX_ASYNC_PAYLOAD + " bytes for the InvokeAsync operation");
    }
    requireJson(event);
    async.execute(() -> {
      try {
        Result r = run(f, event);
        if (r.failed()) {
          log.warn("asynchronous invocation of {} failed: {}", f.name(), new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8));
        }
      } catch (RuntimeException e) {
        log.warn("asynchronous invocation of {} failed", f.name(), e);
      }
    });
  }

  private Result run(Deployed f, byte[] event) {
    String requestId = UUID.randomUUID().toString();
    boolean admitted;
    try {
      admitted = f.permits().tryAcquire(f.timeoutSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LambdaException(LambdaException.Code.ServiceException, "interrupted");
    }
    if (!admitted) {
      throw new LambdaException(LambdaException.Code.TooManyRequestsException, "Rate Exceeded.");
    }
    try {
      Container container = f.warm().pollFirst();
      if (container == null) {
        Object started = Container.start(f, jar, f.environment(), f.ids().incrementAndGet(), initTimeout);
        if (started instanceof Container.Outcome initFailed) {
          return new Result(initFailed.payload(), "Unhandled");
        }
        container = (Container) started;
      }
      Container.Outcome outcome = container.invoke(event, requestId);
      if (container.usable() && functions.get(f.name()) == f) {
        f.warm().addFirst(container);
      } else {
        container.close();
      }
      return new Result(outcome.payload(), outcome.unhandled() ? "Unhandled" : null);
    } finally {
      f.permits().release();
    }
  }

  private Deployed resolve(String function) {
    String name = nameOf(function);
    Deployed f = functions.get(name);
    if (f == null) {
      throw new LambdaException(LambdaException.Code.ResourceNotFoundException,
          "Function not found: " + functionArn(name));
    }
    return f;
  }

  /** {@code name}, {@code name:qualifier}, {@code account:function:name}, or the full ARN. */
  static String nameOf(String function) {
    String s = function;
    int marker = s.indexOf(":function:");
    if (marker >= 0) {
      s = s.substring(marker + ":function:".length());
    }
    int qualifier = s.indexOf(':');
    return qualifier >= 0 ? s.substring(0, qualifier) : s;
  }

  private static void requireJson(byte[] event) {
    if (event.length == 0) {
      return; // Lambda takes an empty payload as {}
    }
    try {
      Json.MAPPER.readTree(event);
    } catch (JacksonException e) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          "Could not parse request body into json: " + e.getOriginalMessage());
    }
  }

  /**
   * For the local Step Functions: a Task's function (name or ARN) invoked with its payload; a
   * function error fails the task with the function's {@code errorType} as the error and the error
   * payload as the cause, Lambda's own errors as {@code Lambda.<code>}, as Step Functions names them.
   */
  public TaskInvoker taskInvoker() {
    return (function, payload) -> CompletableFuture.supplyAsync(() -> {
      try {
        Result r = invoke(function, Json.MAPPER.writeValueAsBytes(payload));
        String text = new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8);
        if (r.failed()) {
          String type = Json.tree(text).path("errorType").asString("");
          return new Invocation.Failed(type.isEmpty() ? "Lambda.Unknown" : type, text);
        }
        return new Invocation.Returned(text.isBlank() ? null : Json.parse(text));
      } catch (LambdaException e) {
        return new Invocation.Failed("Lambda." + e.code.name(), e.getMessage());
      }
    }, async);
  }

  /** For the HTTP API gateway: a function error is an exception (API Gateway answers 500). */
  public LambdaIntegration integration() {
    return (function, event) -> {
      Result r = invoke(function, event);
      if (r.failed()) {
        throw new IllegalStateException("function " + function + " failed: "
            + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return r.payload();
    };
  }

  /** For an EventBridge rule: delivers the event to {@code function} asynchronously, as EventBridge invokes Lambda. */
  public Consumer<String> target(String function) {
    return event -> invokeAsync(function, event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void retire(Deployed f) {
    Container c;
    while ((c = f.warm().pollFirst()) != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    async.shutdownNow();
    functions.values().forEach(LocalLambda::retire);
    functions.clear();
  }
}
