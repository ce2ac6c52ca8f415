package videopipe.localstack.lambda;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The error payloads Lambda's Java runtime answers with ({@code X-Amz-Function-Error: Unhandled}):
 * {@code {"errorMessage", "errorType", "stackTrace", "cause"?}} for an exception out of the handler,
 * {@code {"errorType": "Sandbox.Timedout", ...}} for a function that ran out of time. Step
 * Functions names a failed Lambda task by {@code errorType}, so the exception's class name is what
 * a state machine's Retry and Catch match, as on AWS.
 */
final class LambdaErrors {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String TIMED_OUT = "Sandbox.Timedout";

  private LambdaErrors() {}

  /** The payload for an exception thrown by the handler (or its constructor, at init). */
  static byte[] unhandled(Throwable thrown) {
    return JSON.writeValueAsBytes(describe(unwrap(thrown), 0));
  }

  /**
   * The payload of an injected function error: what the runtime reports for a thrown
   * {@code errorType} with {@code errorMessage} (no stack: the throw did not happen in the function).
   */
  static byte[] injected(String errorType, String errorMessage) {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", errorMessage);
    error.put("errorType", errorType);
    error.putArray("stackTrace");
    return JSON.writeValueAsBytes(error);
  }

  static byte[] timedOut(String requestId, int timeoutSeconds) {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorType", TIMED_OUT);
    error.put("errorMessage", "RequestId: " + requestId + " Error: Task timed out after "
        + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds");
    return JSON.writeValueAsBytes(error);
  }

  /** Reflection's wrapper is ours, not the function's: Lambda reports what the handler threw. */
  static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while (t instanceof InvocationTargetException || t instanceof java.util.concurrent.ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t;
  }

  private static ObjectNode describe(Throwable t, int depth) {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", t.getMessage() == null ? t.getClass().getName() : t.getMessage());
    error.put("errorType", t.getClass().getName());
    ArrayNode trace = error.putArray("stackTrace");
    for (StackTraceElement frame : t.getStackTrace()) {
      trace.add(frame.toString());
    }
    if (t.getCause() != null && t.getCause() != t && depth < 8) {
      error.set("cause", describe(t.getCause(), depth + 1));
    }
    return error;
  }
}
