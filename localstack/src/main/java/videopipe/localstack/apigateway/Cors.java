package videopipe.localstack.apigateway;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP API's CORS configuration, applied as API Gateway applies it: the gateway answers every
 * preflight itself (an {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method},
 * whatever the routes), and on every other response it sets the CORS headers for an allowed origin,
 * replacing any the function returned. The origins come from the gateway's configuration: the
 * document's are placeholders for each stack's.
 */
final class Cors {

  private final List<String> allowOrigins;
  private final OpenApiDocument.Cors config;

  Cors(OpenApiDocument.Cors config, List<String> allowOrigins) {
    this.config = config;
    this.allowOrigins = List.copyOf(allowOrigins);
  }

  static boolean isPreflight(String method, Headers request) {
    return method.equals("OPTIONS") && request.getFirst("Origin") != null
        && request.getFirst("Access-Control-Request-Method") != null;
  }

  /** The preflight's headers: none for an origin, method or header not allowed (the browser then refuses). */
  void preflight(Headers request, Headers response) {
    String origin = allowedOrigin(request.getFirst("Origin"));
    String method = request.getFirst("Access-Control-Request-Method");
    if (origin == null || !allowed(config.allowMethods(), method)) {
      return;
    }
    String requested = request.getFirst("Access-Control-Request-Headers");
    if (requested != null) {
      for (String h : requested.split(",")) {
        if (!h.isBlank() && !allowed(config.allowHeaders(), h.strip())) {
          return;
        }
      }
    }
    response.set("Access-Control-Allow-Origin", origin);
    response.set("Access-Control-Allow-Methods", String.join(",", config.allowMethods()));
    if (!config.allowHeaders().isEmpty()) {
      response.set("Access-Control-Allow-Headers", String.join(",", config.allowHeaders()));
    }
    if (config.maxAge() != null) {
      response.set("Access-Control-Max-Age", Integer.toString(config.maxAge()));
    }
    if (config.allowCredentials()) {
      response.set("Access-Control-Allow-Credentials", "true");
    }
    if (!origin.equals("*")) {
      response.add("Vary", "Origin");
    }
  }

  /** Sets the CORS headers of a simple or actual request's response, replacing the function's. */
  void apply(Headers request, Headers response) {
    response.keySet().removeIf(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
    String origin = allowedOrigin(request.getFirst("Origin"));
    if (origin == null) {
      return;
    }
    response.set("Access-Control-Allow-Origin", origin);
    if (!config.exposeHeaders().isEmpty()) {
      response.set("Access-Control-Expose-Headers", String.join(",", config.exposeHeaders()));
    }
    if (config.allowCredentials()) {
      response.set("Access-Control-Allow-Credentials", "true");
    }
    if (!origin.equals("*")) {
      response.add("Vary", "Origin");
    }
  }

  /** {@code *} when every origin is allowed (and credentials are not), else the origin echoed. */
  private String allowedOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    if (allowOrigins.contains("*")) {
      return config.allowCredentials() ? origin : "*";
    }
    return allowOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin)) ? origin : null;
  }

  private static boolean allowed(List<String> allowed, String value) {
    return value != null && (allowed.contains("*") || allowed.stream().anyMatch(a -> a.equalsIgnoreCase(value)));
  }
}
