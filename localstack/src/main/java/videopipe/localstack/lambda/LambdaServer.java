package videopipe.localstack.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.Loopback;

/**
 * Lambda's {@code Invoke} API over a {@link LocalLambda}, on loopback, so that the AWS SDK's
 * {@code LambdaClient} and the AWS CLI work against it unchanged:
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations} with {@code X-Amz-Invocation-Type}
 * {@code RequestResponse} (200, the function's payload, {@code X-Amz-Function-Error: Unhandled} on
 * a function error), {@code Event} (202, queued: see {@link LocalLambda#invokeAsync}) or
 * {@code DryRun} (204).
 *
 * <p>And the fault-injection switch ({@link Faults}), under a path Lambda's API never uses:
 * <ul>
 *   <li>{@code POST /_videopipe/faults/{function}} with {@code {"errorType", "errorMessage", "count"?}}
 *       (a function error) or {@code {"serviceError": "TooManyRequestsException"|"ServiceException",
 *       "errorMessage"?, "count"?}}; no {@code count}: until cleared. Answers the fault.
 *   <li>{@code DELETE /_videopipe/faults/{function}} clears it (204, also when there was none);
 *       {@code DELETE /_videopipe/faults} clears all.
 *   <li>{@code GET /_videopipe/faults} lists them: {@code {"faults": [...]}}.
 * </ul>
 */
public final class LambdaServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LambdaServer.class);
  private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
  private static final Pattern FAULTS = Pattern.compile("/_videopipe/faults(?:/([^/]+))?/?");

  private final HttpServer server;
  private final ExecutorService http;
  private final LocalLambda lambda;

  private LambdaServer(HttpServer server, ExecutorService http, LocalLambda lambda) {
    this.server = server;
    this.http = http;
    this.lambda = lambda;
  }

  /** Serves {@code lambda} on 127.0.0.1 at {@code port} (0 for any free port). Closing it leaves {@code lambda} running. */
  public static LambdaServer start(int port, LocalLambda lambda) throws IOException {
    // Synchronous invocations hold their HTTP thread for the function's run: as many threads as
    // the callers may need, the functions' own concurrency being the bound.
    ExecutorService http = Executors.newCachedThreadPool(Loopback.daemons("lambda-http"));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      http.shutdown();
      throw e;
    }
    LambdaServer s = new LambdaServer(server, http, lambda);
    server.createContext("/", s::handle);
    server.setExecutor(http);
    server.start();
    return s;
  }

  public URI endpoint() {
    return Loopback.endpoint(server);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status;
      byte[] body;
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      try {
        Matcher faultPath = FAULTS.matcher(exchange.getRequestURI().getPath());
        if (faultPath.matches()) {
          byte[] answer = faults(exchange.getRequestMethod(), faultPath.group(1), exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.length == 0 ? 204 : 200, answer.length == 0 ? -1 : answer.length);
          if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          }
          return;
        }
        Matcher m = INVOKE.matcher(exchange.getRequestURI().getPath());
        if (!m.matches() || !"POST".equals(exchange.getRequestMethod())) {
          throw new LambdaException(LambdaException.Code.ResourceNotFoundException,
              "this local Lambda serves Invoke only (POST /2015-03-31/functions/{name}/invocations), not "
                  + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        }
        String function = m.group(1);
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        byte[] payload = exchange.getRequestBody().readAllBytes();
        switch (type == null ? "RequestResponse" : type) {
          case "RequestResponse" -> {
            LocalLambda.Result r = lambda.invoke(function, payload);
            status = 200;
            body = r.payload();
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
            if (r.failed()) {
              exchange.getResponseHeaders().set("X-Amz-Function-Error", r.functionError());
            }
          }
          case "Event" -> {
            exchange.getResponseHeaders().set("x-amzn-RequestId", lambda.invokeAsync(function, payload));
            status = 202;
            body = new byte[0];
          }
          case "DryRun" -> {
            lambda.manifest(); // the jar is still there
            status = 204;
            body = new byte[0];
          }
          default -> throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
              "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, was " + type);
        }
      } catch (LambdaException e) {
        status = e.code.status;
        body = error(e.code, e.getMessage());
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.code.name());
      } catch (RuntimeException e) {
        log.error("the local Lambda failed on {}", exchange.getRequestURI(), e);
        status = LambdaException.Code.ServiceException.status;
        body = error(LambdaException.Code.ServiceException, String.valueOf(e));
        exchange.getResponseHeaders().set("x-amzn-ErrorType", LambdaException.Code.ServiceException.name());
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private byte[] faults(String method, String function, byte[] body) {
    Faults faults = lambda.faults();
    switch (method) {
      case "GET" -> {
        if (function != null) {
          Faults.Fault f = faults.get(function);
          if (f == null) {
            throw new LambdaException(LambdaException.Code.ResourceNotFoundException, "no fault set for " + function);
          }
          return LambdaErrors.JSON.writeValueAsBytes(describe(f));
        }
        ObjectNode out = LambdaErrors.JSON.createObjectNode();
        tools.jackson.databind.node.ArrayNode list = out.putArray("faults");
        faults.list().forEach(f -> list.add(describe(f)));
        return LambdaErrors.JSON.writeValueAsBytes(out);
      }
      case "DELETE" -> {
        if (function == null) {
          faults.clearAll();
        } else {
          faults.clear(function);
        }
        return new byte[0];
      }
      case "POST", "PUT" -> {
        if (function == null) {
          throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
              "POST /_videopipe/faults/{function}: name the function");
        }
        return LambdaErrors.JSON.writeValueAsBytes(describe(setFault(faults, function, body)));
      }
      default -> throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          method + " is not served on /_videopipe/faults (GET, POST, DELETE)");
    }
  }

  private static Faults.Fault setFault(Faults faults, String function, byte[] body) {
    tools.jackson.databind.JsonNode request;
    try {
      request = LambdaErrors.JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException, "the fault is not JSON: "
          + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          "the fault must be a JSON object: {\"errorType\", \"errorMessage\", \"count\"?} or {\"serviceError\", \"count\"?}");
    }
    tools.jackson.databind.JsonNode count = request.get("count");
    int n;
    if (count == null || count.isNull()) {
      n = -1;
    } else if (count.isIntegralNumber() && count.asInt() >= 1) {
      n = count.asInt();
    } else {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          "count must be a whole number >= 1 (leave it out for until cleared), was " + count);
    }
    String message = request.path("errorMessage").asString(null);
    Faults.Failure failure;
    try {
      if (request.hasNonNull("serviceError")) {
        String code = request.get("serviceError").asString();
        LambdaException.Code c;
        try {
          c = LambdaException.Code.valueOf(code);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("serviceError must be TooManyRequestsException or ServiceException, was " + code);
        }
        failure = new Faults.Failure.ServiceError(c, message);
      } else {
        failure = new Faults.Failure.FunctionError(request.path("errorType").asString(null), message);
      }
    } catch (IllegalArgumentException e) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException, e.getMessage());
    }
    return faults.set(function, failure, n);
  }

  private static ObjectNode describe(Faults.Fault f) {
    ObjectNode out = LambdaErrors.JSON.createObjectNode();
    out.put("function", f.function());
    if (f.failure() instanceof Faults.Failure.FunctionError e) {
      out.put("errorType", e.errorType());
      out.put("errorMessage", e.errorMessage());
    } else if (f.failure() instanceof Faults.Failure.ServiceError e) {
      out.put("serviceError", e.code().name());
      out.put("errorMessage", e.message());
    }
    if (f.untilCleared()) {
      out.putNull("count");
    } else {
      out.put("count", f.remaining());
    }
    out.put("injected", f.injected());
    return out;
  }

  private static byte[] error(LambdaException.Code code, String message) {
    ObjectNode error = LambdaErrors.JSON.createObjectNode();
    error.put("Type", code.type);
    error.put("message", message);
    return LambdaErrors.JSON.writeValueAsBytes(error);
  }

  @Override
  public void close() {
    server.stop(0);
    http.shutdownNow();
  }
}
