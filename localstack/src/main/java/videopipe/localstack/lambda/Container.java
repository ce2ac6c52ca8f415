package videopipe.localstack.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lambda execution environment: a {@link FunctionClassLoader} over the functions jar, one
 * {@code FunctionInvoker} built in it (which starts the function's Spring application, as Lambda's
 * init phase does), and one thread that runs its invocations one at a time, with that class loader
 * as the thread's context class loader (Spring Boot finds {@code application.properties} through
 * it). Reused warm for later invocations; thrown away after a timeout, as Lambda resets a sandbox
 * that timed out.
 */
final class Container implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Container.class);
  static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker";
  private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
  private static final String LOGGER = "com.amazonaws.services.lambda.runtime.LambdaLogger";

  /** What one invocation came to: the payload, and whether it is an error payload. */
  record Outcome(byte[] payload, boolean unhandled) {}

  private final LocalLambda.Deployed function;
  private final FunctionClassLoader loader;
  private final ExecutorService thread;
  private Object handler;
  private Method handleRequest;
  private Class<?> contextType;
  private Class<?> loggerType;
  private volatile boolean usable = true;

  private Container(LocalLambda.Deployed function, Path jar, Map<String, String> environment, int id) {
    this.function = function;
    this.loader = new FunctionClassLoader(function.name(), jar, environment);
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lambda-" + function.name() + "-" + id);
      t.setDaemon(true);
      t.setContextClassLoader(loader);
      return t;
    });
  }

  /**
   * Starts a container: loads the handler and builds it (the function's Spring application starts
   * in its constructor). An init that throws gives the error payload instead, and no container.
   */
  static Object start(LocalLambda.Deployed function, Path jar, Map<String, String> environment, int id,
                      Duration initTimeout) {
    Container c = new Container(function, jar, environment, id);
    Future<?> init = c.thread.submit(() -> {
      Class<?> type = Class.forName(HANDLER, true, c.loader);
      c.contextType = Class.forName(CONTEXT, false, c.loader);
      c.loggerType = Class.forName(LOGGER, false, c.loader);
      c.handleRequest = type.getMethod("handleRequest", InputStream.class, OutputStream.class, c.contextType);
      c.handler = type.getConstructor().newInstance();
      return null;
    });
    try {
      init.get(initTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return c;
    } catch (ExecutionException e) {
      log.warn("function {} failed to initialise: {}", function.name(), LambdaErrors.unwrap(e).toString());
      c.close();
      return new Outcome(LambdaErrors.unhandled(e), true);
    } catch (TimeoutException e) {
      init.cancel(true);
      c.close();
      return new Outcome(LambdaErrors.timedOut("init", (int) initTimeout.toSeconds()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new LambdaException(LambdaException.Code.ServiceException, "interrupted while starting " + function.name());
    }
  }

  /** Runs one invocation within the function's timeout. */
  Outcome invoke(byte[] event, String requestId) {
    long deadline = System.currentTimeMillis() + function.timeoutSeconds() * 1000L;
    Object context = context(requestId, deadline);
    Future<byte[]> call = thread.submit(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handleRequest.invoke(handler, new ByteArrayInputStream(event), out, context);
      return out.toByteArray();
    });
    try {
      return new Outcome(call.get(function.timeoutSeconds(), TimeUnit.SECONDS), false);
    } catch (ExecutionException e) {
      return new Outcome(LambdaErrors.unhandled(e), true);
    } catch (TimeoutException e) {
      // Lambda freezes and resets a sandbox that timed out: the next invocation starts a fresh one.
      call.cancel(true);
      usable = false;
      return new Outcome(LambdaErrors.timedOut(requestId, function.timeoutSeconds()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      usable = false;
      throw new LambdaException(LambdaException.Code.ServiceException, "interrupted while invoking " + function.name());
    }
  }

  boolean usable() {
    return usable;
  }

  /** Lambda's {@code Context}, implemented over the jar's own copy of the interface. */
  private Object context(String requestId, long deadline) {
    Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, method, args) -> {
      switch (method.getName()) {
        case "log" -> {
          if (args != null && args.length > 0) {
            String line = args[0] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(args[0]);
            log.info("[{}] {}", function.name(), line.stripTrailing());
          }
          return null;
        }
        case "toString" -> {
          return "LambdaLogger[" + function.name() + "]";
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "equals" -> {
          return proxy == args[0];
        }
        default -> {
          return null;
        }
      }
    });
    return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) ->
        switch (method.getName()) {
          case "getAwsRequestId" -> requestId;
          case "getLogGroupName" -> "/aws/lambda/" + function.name();
          case "getLogStreamName" -> "local/" + Thread.currentThread().getName();
          case "getFunctionName" -> function.name();
          case "getFunctionVersion" -> "$LATEST";
          case "getInvokedFunctionArn" -> function.arn();
          case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
          case "getMemoryLimitInMB" -> function.memoryMb();
          case "getLogger" -> logger;
          case "toString" -> "Context[" + function.name() + ", " + requestId + "]";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null; // getIdentity, getClientContext: none for these invocations, as on Lambda
        });
  }

  @Override
  public void close() {
    usable = false;
    thread.shutdownNow();
    try {
      loader.close();
    } catch (IOException e) {
      log.debug("closing the class loader of {}", function.name(), e);
    }
  }
}
