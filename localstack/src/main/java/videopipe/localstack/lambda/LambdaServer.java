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
 * <p>{@code PutFunctionEventInvokeConfig} ({@code PUT}), {@code UpdateFunctionEventInvokeConfig}
 * ({@code POST}), {@code GetFunctionEventInvokeConfig} and {@code DeleteFunctionEventInvokeConfig} on
 * {@code /2019-09-25/functions/{name}/event-invoke-config}: retries, event age and the on-failure
 * destination (a queue the stack knows, see {@link LocalLambda#destinations}).
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
  private static final Pattern EVENT_INVOKE_CONFIG =
      Pattern.compile("/2019-09-25/functions/([^/]+)/event-invoke-config/?");
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

  /** 200 with {@code answer} as JSON, or 204 when it is empty. */
  private static void answerJson(HttpExchange exchange, byte[] answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.length == 0 ? 204 : 200, answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status;
      byte[] body;
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      try {
        Matcher faultPath = FAULTS.matcher(exchange.getRequestURI().getPath());
        if (faultPath.matches()) {
          answerJson(exchange, faults(exchange.getRequestMethod(), faultPath.group(1), exchange.getRequestBody().readAllBytes()));
          return;
        }
        Matcher configPath = EVENT_INVOKE_CONFIG.matcher(exchange.getRequestURI().getPath());
        if (configPath.matches()) {
          answerJson(exchange, eventInvokeConfig(exchange.getRequestMethod(), configPath.group(1),
              exchange.getRequestBody().readAllBytes()));
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

  private byte[] eventInvokeConfig(String method, String function, byte[] body) {
    String name = LocalLambda.nameOf(function);
    switch (method) {
      case "GET" -> {
        if (!lambda.hasEventInvokeConfig(name)) {
          if (!lambda.functionNames().contains(name)) {
            throw new LambdaException(LambdaException.Code.ResourceNotFoundException, "Function not found: "
                + lambda.functionArn(name));
          }
          throw new LambdaException(LambdaException.Code.ResourceNotFoundException,
              "The function " + lambda.functionArn(name) + " doesn't have an EventInvokeConfig");
        }
        return describe(name, lambda.eventInvokeConfig(name));
      }
      case "DELETE" -> {
        lambda.deleteFunctionEventInvokeConfig(name);
        return new byte[0];
      }
      case "PUT", "POST" -> {
        tools.jackson.databind.JsonNode request = jsonObject(body, "the request", "");
        // PUT replaces (settings left out go back to the defaults); POST (Update) keeps what it leaves out.
        EventInvokeConfig base = "POST".equals(method) ? lambda.eventInvokeConfig(name) : EventInvokeConfig.DEFAULT;
        int retries = base.maximumRetryAttempts();
        long age = base.maximumEventAge().toSeconds();
        videopipe.localstack.eventbridge.DeadLetterQueue onFailure = base.onFailure();
        if (request.has("MaximumRetryAttempts")) {
          retries = wholeNumber(request.get("MaximumRetryAttempts"), "MaximumRetryAttempts", 0, 2);
        }
        if (request.has("MaximumEventAgeInSeconds")) {
          age = wholeNumber(request.get("MaximumEventAgeInSeconds"), "MaximumEventAgeInSeconds", 60, 21_600);
        }
        tools.jackson.databind.JsonNode destinations = request.path("DestinationConfig");
        if (destinations.has("OnSuccess") && destinations.path("OnSuccess").hasNonNull("Destination")) {
          throw new LambdaException(LambdaException.Code.InvalidParameterValueException,
              "this local Lambda keeps on-failure destinations only (DestinationConfig.OnSuccess is not supported)");
        }
        if (destinations.has("OnFailure")) {
          String arn = destinations.path("OnFailure").path("Destination").asString(null);
          onFailure = arn == null || arn.isEmpty() ? null : lambda.destination(arn);
        }
        EventInvokeConfig config = new EventInvokeConfig(retries, java.time.Duration.ofSeconds(age), onFailure);
        lambda.putFunctionEventInvokeConfig(name, config);
        return describe(name, config);
      }
      default -> throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          method + " is not served on event-invoke-config (GET, PUT, POST, DELETE)");
    }
  }

  private static int wholeNumber(tools.jackson.databind.JsonNode value, String field, int min, int max) {
    if (value == null || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
      throw new LambdaException(LambdaException.Code.InvalidParameterValueException,
          field + " must be a whole number in " + min + ".." + max + ", was " + value);
    }
    return value.asInt();
  }

  private byte[] describe(String name, EventInvokeConfig config) {
    ObjectNode out = LambdaErrors.JSON.createObjectNode();
    out.put("FunctionArn", lambda.functionArn(name) + ":$LATEST");
    out.put("LastModified", java.time.Instant.now().getEpochSecond());
    out.put("MaximumRetryAttempts", config.maximumRetryAttempts());
    out.put("MaximumEventAgeInSeconds", config.maximumEventAge().toSeconds());
    ObjectNode destinations = out.putObject("DestinationConfig");
    destinations.putObject("OnSuccess");
    ObjectNode onFailure = destinations.putObject("OnFailure");
    if (config.onFailure() != null) {
      onFailure.put("Destination", config.onFailure().arn());
    }
    return LambdaErrors.JSON.writeValueAsBytes(out);
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

  /**
   * The body as a JSON object, or {@code InvalidRequestContentException} saying what it is not.
   *
   * @param what the body, for the message: "the request"
   * @param shape what the object should hold, appended to the message when it is not one ("" for nothing)
   */
  private static tools.jackson.databind.JsonNode jsonObject(byte[] body, String what, String shape) {
    tools.jackson.databind.JsonNode node;
    try {
      node = LambdaErrors.JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException, what + " is not JSON: "
          + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new LambdaException(LambdaException.Code.InvalidRequestContentException,
          what + " must be a JSON object" + shape);
    }
    return node;
  }

  private static Faults.Fault setFault(Faults faults, String function, byte[] body) {
    tools.jackson.databind.JsonNode request = jsonObject(body, "the fault",
        ": {\"errorType\", \"errorMessage\", \"count\"?} or {\"serviceError\", \"count\"?}");
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
