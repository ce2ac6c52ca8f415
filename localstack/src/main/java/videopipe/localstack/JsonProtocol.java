package videopipe.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AWS JSON protocol as the local Step Functions (1.0) and EventBridge (1.1) serve it on the
 * JDK's HttpServer: a POST whose {@code X-Amz-Target} names the service and the operation, a JSON
 * object in and out, a request id, and errors as their HTTP status with {@code {"__type": code,
 * "message": text}}, from which the AWS SDKs and the AWS CLI build the service's named exceptions.
 * Each service gives its operations and its error codes; this class is the wire.
 */
public final class JsonProtocol implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(JsonProtocol.class);

  /** An error code of a service: its name goes out as {@code __type}, with its HTTP status. */
  public interface Code {
    String name();

    int status();
  }

  /** A service's exception that is an answer, not a fault: sent with its code and message. */
  public interface Refusal {
    Code code();

    String getMessage();
  }

  /**
   * @param name the service, as said in logs and errors ("Step Functions")
   * @param targetPrefix what every {@code X-Amz-Target} of the service starts with ({@code AWSEvents.})
   * @param contentType {@code application/x-amz-json-1.0} or {@code -1.1}
   * @param unknownOperation the code for a missing or foreign target, or a method other than POST
   * @param serialization the code for a body that is not a JSON object
   * @param internal the code for a fault of the emulator itself (logged)
   */
  public record Service(String name, String targetPrefix, String contentType, Code unknownOperation,
      Code serialization, Code internal) {}

  private final Service service;
  private final JsonMapper json;
  private final BiFunction<String, JsonNode, Object> operations;

  /**
   * @param operations the operation (the target without its prefix) and the request object to the
   *     answer, which {@code json} writes; throws a {@link Refusal} to answer an error
   */
  public JsonProtocol(Service service, JsonMapper json, BiFunction<String, JsonNode, Object> operations) {
    this.service = service;
    this.json = json;
    this.operations = operations;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      int status = 200;
      byte[] response;
      try {
        if (!"POST".equals(exchange.getRequestMethod())) {
          throw new Refused(service.unknownOperation(), "the " + service.name() + " API takes POST requests only");
        }
        if (target == null || !target.startsWith(service.targetPrefix())) {
          throw new Refused(service.unknownOperation(), "missing or foreign X-Amz-Target: " + target);
        }
        JsonNode request = read(exchange.getRequestBody().readAllBytes());
        response = json.writeValueAsBytes(operations.apply(target.substring(service.targetPrefix().length()), request));
      } catch (RuntimeException e) {
        Code code;
        String message;
        if (e instanceof Refusal refusal) {
          code = refusal.code();
          message = refusal.getMessage();
        } else {
          log.error("the local {} failed on {}", service.name(), target, e);
          code = service.internal();
          message = String.valueOf(e);
        }
        status = code.status();
        ObjectNode error = json.createObjectNode();
        error.put("__type", code.name());
        error.put("message", message);
        response = json.writeValueAsBytes(error);
      }
      exchange.getResponseHeaders().set("Content-Type", service.contentType());
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(status, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  /** The request object; an empty body is an empty object, as the SDKs send for no parameters. */
  private JsonNode read(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (node.isObject()) {
        return node;
      }
    } catch (JacksonException e) {
      // refused below
    }
    throw new Refused(service.serialization(), "the request body is not a JSON object");
  }

  private static final class Refused extends RuntimeException implements Refusal {
    private final Code code;

    Refused(Code code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    @Override
    public Code code() {
      return code;
    }
  }
}
