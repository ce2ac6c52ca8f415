package videopipe.localstack.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.Loopback;
import videopipe.localstack.apigateway.LambdaIntegration;
import videopipe.localstack.eventbridge.DeadLetterQueue;
import videopipe.localstack.eventbridge.Target;
import videopipe.localstack.eventbridge.TargetFailure;
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
 *
 * <p>Asynchronous invocations ({@code Event}) are queued and run as Lambda runs them: a function
 * error is retried per the function's {@link EventInvokeConfig} (twice by default, after about one
 * then two minutes: {@link AsyncDelays}), a throttle is retried with a doubling delay until the
 * event is too old, and an invocation that failed for good goes to the function's on-failure
 * {@link DeadLetterQueue}. {@link #faults()} injects failures through the same paths as real ones.
 * The queue is in memory unless {@link #keepAsyncInvocationsIn} gives it a directory, where it
 * outlives the runtime as Lambda's durable queue does.
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
  private final Map<String, EventInvokeConfig> eventInvokeConfigs = new ConcurrentHashMap<>();
  private final ExecutorService async;
  private final ScheduledExecutorService asyncTimer;
  private final AtomicInteger asyncPending = new AtomicInteger();
  private final Faults faults = new Faults(functions::containsKey);
  private final Reports reports = new Reports();
  private volatile AsyncDelays asyncDelays = AsyncDelays.AWS;
  private volatile java.util.function.Function<String, DeadLetterQueue> destinations = arn -> null;
  /** Where the asynchronous queue is kept (null: in memory only). */
  private volatile AsyncQueueStore store;
  /** Invocations read back from {@link #store}, waiting for {@link #resumeAsyncInvocations()}. */
  private List<AsyncQueueStore.Pending> restored = List.of();
  private List<String> problems = List.of();

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
    this.asyncTimer = Executors.newSingleThreadScheduledExecutor(Loopback.daemons("lambda-async-timer"));
  }

  /** The fault-injection switch. */
  public Faults faults() {
    return faults;
  }

  /** What each invocation cost, as Lambda's {@code REPORT} log lines say it. */
  public Reports reports() {
    return reports;
  }

  /** The delays of the asynchronous queue's retries (AWS's by default; tests shorten them). */
  public void asyncDelays(AsyncDelays delays) {
    this.asyncDelays = java.util.Objects.requireNonNull(delays);
  }

  /**
   * Sets {@code function}'s asynchronous-invocation settings, as PutFunctionEventInvokeConfig does;
   * they outlive a redeploy of the function, as on AWS.
   */
  public void putFunctionEventInvokeConfig(String function, EventInvokeConfig config) {
    eventInvokeConfigs.put(resolve(function).name(), java.util.Objects.requireNonNull(config));
  }

  /**
   * How an on-failure destination ARN given over the Lambda API ({@code PutFunctionEventInvokeConfig})
   * becomes a local queue: the stack passes its EventBridge emulator's queues
   * ({@code arn -> events.deadLetterQueue(name)}); null for an ARN it does not know.
   */
  public void destinations(java.util.function.Function<String, DeadLetterQueue> resolver) {
    this.destinations = java.util.Objects.requireNonNull(resolver);
  }

  /** The local queue for an on-failure destination ARN, or an error naming it. */
  DeadLetterQueue destination(String arn) {
    DeadLetterQueue q = destinations.apply(arn);
    if (q == null) {
      throw new LambdaException(LambdaException.Code.InvalidParameterValueException,
          "The destination ARN " + arn + " is not a queue of this local stack");
    }
    return q;
  }

  /** Removes {@code function}'s asynchronous-invocation settings (back to the defaults). */
  public EventInvokeConfig deleteFunctionEventInvokeConfig(String function) {
    return eventInvokeConfigs.remove(resolve(function).name());
  }

  /** Whether {@code function} has asynchronous-invocation settings of its own. */
  boolean hasEventInvokeConfig(String function) {
    return eventInvokeConfigs.containsKey(nameOf(function));
  }

  /** {@code function}'s asynchronous-invocation settings ({@link EventInvokeConfig#DEFAULT} unless set). */
  public EventInvokeConfig eventInvokeConfig(String function) {
    return eventInvokeConfigs.getOrDefault(nameOf(function), EventInvokeConfig.DEFAULT);
  }

  /**
   * Keeps the asynchronous queue in {@code dir} (created if missing, held by this runtime until
   * {@link #close()}): each invocation accepted and not yet finished is a file there, so a stop
   * loses none of them. Reads back those a previous runtime left (a file that cannot be read is
   * logged and kept aside as {@code *.unreadable}, see {@link #dataDirProblems()}); they run only
   * at {@link #resumeAsyncInvocations()}, once their functions are deployed again. Call it before
   * the first {@link #invokeAsync}.
   *
   * @throws IOException when {@code dir} cannot be read or another runtime holds it
   */
  public synchronized void keepAsyncInvocationsIn(Path dir) throws IOException {
    if (store != null) {
      throw new IllegalStateException("the asynchronous queue is already kept in " + store.dir());
    }
    AsyncQueueStore opened = AsyncQueueStore.open(dir);
    AsyncQueueStore.Loaded loaded = opened.readBack();
    problems = loaded.problems();
    problems.forEach(p -> log.warn("the local Lambda's data directory: {}", p));
    restored = loaded.pending();
    asyncPending.addAndGet(restored.size());
    store = opened;
    log.info("the local Lambda read back {} pending asynchronous invocations from {}", restored.size(), dir);
  }

  /**
   * Queues again the invocations {@link #keepAsyncInvocationsIn} read back, once their functions
   * are deployed: one due while the runtime was stopped runs now, one not yet due waits what
   * remains of its delay, and one older than its function's maximum event age goes to its
   * on-failure queue ({@code EventAgeExceeded}), as it would have had the runtime kept running.
   * Does nothing the second time, or in memory.
   */
  public synchronized void resumeAsyncInvocations() {
    List<AsyncQueueStore.Pending> resume = restored;
    restored = List.of();
    long now = System.currentTimeMillis();
    for (AsyncQueueStore.Pending p : resume) {
      AsyncInvocation inv = p.invocation();
      EventInvokeConfig config = eventInvokeConfig(inv.function());
      long age = now - inv.enqueuedAt();
      if (age > config.maximumEventAge().toMillis()) {
        LastFailure last = inv.lastFailure() != null ? inv.lastFailure() : new LastFailure(500, null,
            LambdaErrors.injected("EventAgeExceeded", "the event waited " + age / 1000 + " s, past its maximum age of "
                + config.maximumEventAge().toSeconds() + " s, while the local Lambda was stopped"));
        finish(inv, config, "EventAgeExceeded", last.statusCode(), last.functionError(), last.response());
      } else {
        submit(inv, Math.max(0, p.dueAt() - now));
      }
    }
  }

  /**
   * What could not be read back from the queue's directory (one sentence each, naming the file and
   * where it was kept aside); empty in memory or when every invocation was read.
   */
  public List<String> dataDirProblems() {
    return problems;
  }

  /** Asynchronous invocations accepted and not yet finished (run, or sent to their destination). */
  public int pendingAsyncInvocations() {
    return asyncPending.get();
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
   * Invokes asynchronously (Event): checks the request now (and answers an injected service error
   * now, as the Invoke call would), queues it and returns its request id; it runs later, retried
   * as {@link EventInvokeConfig} says.
   *
   * @throws LambdaException for Lambda's own errors (no such function, not JSON, too large, an injected service error)
   */
  public String invokeAsync(String function, byte[] event) {
    Deployed f = resolve(function);
    if (event.length > MAX_ASYNC_PAYLOAD) {
      throw new LambdaException(LambdaException.Code.RequestTooLargeException,
          "Request must be smaller than " + MAX_ASYNC_PAYLOAD + " bytes for the InvokeAsync operation");
    }
    requireJson(event);
    injectServiceError(f);
    long now = System.currentTimeMillis();
    AsyncInvocation invocation = new AsyncInvocation(f.name(), event.clone(), UUID.randomUUID().toString(),
        now, 0, 0, null);
    AsyncQueueStore kept = store;
    if (kept != null) {
      try {
        kept.save(invocation, now); // accepted only once it is kept, as Lambda answers 202 once it is queued
      } catch (java.io.UncheckedIOException e) {
        log.error("asynchronous invocation of {} refused", f.name(), e);
        throw new LambdaException(LambdaException.Code.ServiceException, e.getMessage());
      }
    }
    asyncPending.incrementAndGet();
    submit(invocation, 0);
    return invocation.requestId();
  }

  /**
   * One asynchronous invocation in Lambda's queue: the same request id on every attempt, as
   * Lambda keeps it, how many function errors and throttles it met so far, and how its last
   * attempt failed (null before any), for the on-failure record should it expire while stopped.
   */
  record AsyncInvocation(String function, byte[] event, String requestId, long enqueuedAt,
                         int functionErrors, int throttles, LastFailure lastFailure) {

    AsyncInvocation retry(int functionErrors, int throttles, LastFailure failure) {
      return new AsyncInvocation(function, event, requestId, enqueuedAt, functionErrors, throttles, failure);
    }
  }

  /** How an attempt failed: the status Lambda answered, the function error (null: Lambda's own), the error payload. */
  record LastFailure(int statusCode, String functionError, byte[] response) {}

  /**
   * Saves the invocation's state before its retry is scheduled. A failed save is logged and the
   * retry still runs: the invocation is then only as durable as it was at its last save.
   */
  private void keep(AsyncInvocation inv, long dueAt) {
    AsyncQueueStore kept = store;
    if (kept != null) {
      try {
        kept.save(inv, dueAt);
      } catch (java.io.UncheckedIOException e) {
        log.error("asynchronous invocation {} of {}: its retry is not kept", inv.requestId(), inv.function(), e);
      }
    }
  }

  /** The invocation finished: removed from the kept queue (a failure is logged: it would run again after a restart). */
  private void forget(AsyncInvocation inv) {
    AsyncQueueStore kept = store;
    if (kept != null) {
      try {
        kept.delete(inv);
      } catch (java.io.UncheckedIOException e) {
        log.error("asynchronous invocation {} of {} finished but stays queued", inv.requestId(), inv.function(), e);
      }
    }
  }

  private void submit(AsyncInvocation invocation, long delayMillis) {
    try {
      if (delayMillis <= 0) {
        async.execute(() -> attempt(invocation));
      } else {
        asyncTimer.schedule(() -> submit(invocation, 0), delayMillis, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException closing) {
      asyncPending.decrementAndGet();
      AsyncQueueStore kept = store;
      if (kept != null) {
        log.info("asynchronous invocation {} of {} not run: the runtime is closing; it is kept in {}",
            invocation.requestId(), invocation.function(), kept.dir());
      } else {
        log.warn("asynchronous invocation {} of {} dropped: the runtime is closing", invocation.requestId(),
            invocation.function());
      }
    }
  }

  private void attempt(AsyncInvocation inv) {
    EventInvokeConfig config = eventInvokeConfig(inv.function());
    long maxAge = config.maximumEventAge().toMillis();
    long age = System.currentTimeMillis() - inv.enqueuedAt();
    Deployed f = functions.get(inv.function());
    if (f == null) {
      finish(inv, config, "FunctionDeleted", 404, null,
          LambdaErrors.injected(LambdaException.Code.ResourceNotFoundException.name(), "Function not found: "
              + functionArn(inv.function())));
      return;
    }
    Result r;
    try {
      r = run(f, inv.event(), inv.requestId());
    } catch (LambdaException e) {
      byte[] error = LambdaErrors.injected(e.code.name(), e.getMessage());
      if (e.code == LambdaException.Code.TooManyRequestsException || e.code == LambdaException.Code.ServiceException) {
        int throttles = inv.throttles() + 1;
        long delay = asyncDelays.afterThrottle(throttles).toMillis();
        if (age + delay > maxAge) {
          finish(inv, config, "EventAgeExceeded", e.code.status, null, error);
        } else {
          log.debug("asynchronous invocation {} of {} throttled ({}); retry in {} ms", inv.requestId(), f.name(),
              e.code, delay);
          AsyncInvocation next = inv.retry(inv.functionErrors(), throttles, new LastFailure(e.code.status, null, error));
          keep(next, System.currentTimeMillis() + delay);
          submit(next, delay);
        }
      } else {
        finish(inv, config, "RetriesExhausted", e.code.status, null, error);
      }
      return;
    } catch (RuntimeException e) {
      log.error("asynchronous invocation {} of {} failed in the runtime", inv.requestId(), f.name(), e);
      finish(inv, config, "RetriesExhausted", 500, null, LambdaErrors.unhandled(e));
      return;
    }
    if (!r.failed()) {
      forget(inv);
      asyncPending.decrementAndGet();
      return;
    }
    int errors = inv.functionErrors() + 1;
    AsyncInvocation next = inv.retry(errors, inv.throttles(), new LastFailure(200, r.functionError(), r.payload()));
    if (errors > config.maximumRetryAttempts()) {
      finish(next, config, "RetriesExhausted", 200, r.functionError(), r.payload());
      return;
    }
    long delay = asyncDelays.afterFunctionError(errors).toMillis();
    if (age + delay > maxAge) {
      finish(next, config, "EventAgeExceeded", 200, r.functionError(), r.payload());
    } else {
      log.info("asynchronous invocation {} of {} failed ({}); retry {} in {} ms", inv.requestId(), f.name(),
          errorType(r.payload()), errors, delay);
      keep(next, System.currentTimeMillis() + delay);
      submit(next, delay);
    }
  }

  /**
   * An asynchronous invocation that failed for good: to the function's on-failure queue as Lambda's
   * invocation record (the request payload, the condition, the error), with the attributes Lambda
   * puts on a dead-letter message ({@code RequestID}, {@code ErrorCode}, {@code ErrorMessage});
   * without a queue it is discarded, as on AWS, and logged.
   */
  private void finish(AsyncInvocation inv, EventInvokeConfig config, String condition, int statusCode,
                      String functionError, byte[] response) {
    try {
      sendToOnFailure(inv, config, condition, statusCode, functionError, response);
    } finally {
      // After the send: a stop between the two sends it again at the next start rather than losing it.
      forget(inv);
      asyncPending.decrementAndGet();
    }
  }

  private void sendToOnFailure(AsyncInvocation inv, EventInvokeConfig config, String condition, int statusCode,
                               String functionError, byte[] response) {
    ObjectNode record = Json.MAPPER.createObjectNode();
    record.put("version", "1.0");
    record.put("timestamp", java.time.Instant.now().toString());
    ObjectNode request = record.putObject("requestContext");
    request.put("requestId", inv.requestId());
    request.put("functionArn", functionArn(inv.function()) + ":$LATEST");
    request.put("condition", condition);
    request.put("approximateInvokeCount", inv.functionErrors() + inv.throttles());
    record.set("requestPayload", inv.event().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(inv.event()));
    ObjectNode responseContext = record.putObject("responseContext");
    responseContext.put("statusCode", statusCode);
    responseContext.put("executedVersion", "$LATEST");
    if (functionError != null) {
      responseContext.put("functionError", functionError);
    }
    JsonNode responsePayload;
    try {
      responsePayload = Json.MAPPER.readTree(response);
    } catch (JacksonException e) {
      responsePayload = Json.MAPPER.getNodeFactory().stringNode(new String(response, StandardCharsets.UTF_8));
    }
    record.set("responsePayload", responsePayload);
    String message = responsePayload.path("errorMessage").asString(responsePayload.toString());
    DeadLetterQueue queue = config.onFailure();
    if (queue == null) {
      log.warn("asynchronous invocation {} of {} failed for good ({}, {}): no on-failure destination, discarded",
          inv.requestId(), inv.function(), condition, errorType(response));
      return;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("RequestID", inv.requestId());
    attributes.put("ErrorCode", String.valueOf(statusCode));
    attributes.put("ErrorMessage", message.length() > 1024 ? message.substring(0, 1024) : message);
    try {
      queue.send(Json.MAPPER.writeValueAsString(record), attributes);
      log.warn("asynchronous invocation {} of {} failed for good ({}, {}): sent to {}", inv.requestId(),
          inv.function(), condition, errorType(response), queue.arn());
    } catch (RuntimeException e) {
      log.error("asynchronous invocation {} of {} could not be written to {}", inv.requestId(), inv.function(),
          queue.arn(), e);
    }
  }

  private static String errorType(byte[] payload) {
    try {
      return Json.MAPPER.readTree(payload).path("errorType").asString("unknown");
    } catch (JacksonException e) {
      return "unknown";
    }
  }

  private void injectServiceError(Deployed f) {
    Faults.Failure.ServiceError fault = faults.take(f.name(), Faults.Failure.ServiceError.class);
    if (fault != null) {
      log.info("injected {} for {}", fault.code(), f.name());
      throw new LambdaException(fault.code(), fault.message());
    }
  }

  private Result run(Deployed f, byte[] event) {
    injectServiceError(f);
    return run(f, event, UUID.randomUUID().toString());
  }

  private Result run(Deployed f, byte[] event, String requestId) {
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
      Faults.Failure.FunctionError injected = faults.take(f.name(), Faults.Failure.FunctionError.class);
      if (injected != null) {
        log.info("injected {} for {} ({})", injected.errorType(), f.name(), requestId);
        return new Result(LambdaErrors.injected(injected.errorType(), injected.errorMessage()), "Unhandled");
      }
      Container container = f.warm().pollFirst();
      long initNanos = 0;
      if (container == null) {
        long initStart = System.nanoTime();
        Object started = Container.start(f, jar, f.environment(), f.ids().incrementAndGet(), initTimeout);
        initNanos = System.nanoTime() - initStart;
        if (started instanceof Container.Outcome initFailed) {
          return new Result(initFailed.payload(), "Unhandled");
        }
        container = (Container) started;
      }
      long start = System.nanoTime();
      Container.Outcome outcome = container.invoke(event, requestId);
      reports.record(f, requestId, Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(initNanos),
          outcome.unhandled());
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

  /** The concurrency permits of {@code function}: a seam for tests that need it full. */
  Semaphore concurrency(String function) {
    return resolve(function).permits();
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

  /**
   * For an EventBridge rule: a target that invokes {@code function} asynchronously, as EventBridge
   * invokes Lambda (EventBridge retries only when the Invoke call itself fails: throttled, service
   * error; a function error is Lambda's to retry, per {@link EventInvokeConfig}). EventBridge's
   * default retry policy, no dead-letter queue: add them with {@link Target#withRetryPolicy} and
   * {@link Target#withDeadLetterQueue}.
   */
  public Target target(String function) {
    String arn = functionArn(nameOf(function));
    return Target.of(arn, event -> {
      try {
        invokeAsync(function, event.getBytes(StandardCharsets.UTF_8));
      } catch (LambdaException e) {
        throw new TargetFailure(switch (e.code) {
          case TooManyRequestsException -> TargetFailure.ErrorCode.THROTTLING;
          case ServiceException -> TargetFailure.ErrorCode.INTERNAL_ERROR;
          case ResourceNotFoundException -> TargetFailure.ErrorCode.NO_RESOURCE;
          case InvalidRequestContentException, InvalidParameterValueException, RequestTooLargeException ->
              TargetFailure.ErrorCode.INVALID_PARAMETER;
        }, e.code.name() + ": " + e.getMessage());
      }
    });
  }

  private static void retire(Deployed f) {
    Container c;
    while ((c = f.warm().pollFirst()) != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    AsyncQueueStore kept = store;
    if (kept != null) {
      kept.close(); // first: from here on the files stay as they are, for the next runtime on the directory
    }
    int waiting = asyncTimer.shutdownNow().size();
    if (waiting > 0 && kept != null) {
      log.info("{} asynchronous invocations were waiting for a retry; they are kept in {}", waiting, kept.dir());
    } else if (waiting > 0) {
      log.warn("{} asynchronous invocations were waiting for a retry and are lost with the runtime", waiting);
    }
    async.shutdownNow();
    functions.values().forEach(LocalLambda::retire);
    functions.clear();
  }
}
