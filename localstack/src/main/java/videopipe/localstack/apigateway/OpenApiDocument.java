package videopipe.localstack.apigateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the gateway needs of an OpenAPI 3 document with API Gateway's extensions, the same document
 * API Gateway imports: the routes, the function each integrates with, which are secured by a JWT
 * authorizer, and the CORS configuration. Everything else in the document (schemas, examples) is
 * the functions' business, as it is on AWS: an HTTP API does not validate bodies.
 *
 * <p>Which function a route calls: the {@code uri} of its {@code x-amazon-apigateway-integration}.
 * A placeholder {@code ${CreateUploadFunctionArn}} names the function {@code createUpload} (the
 * placeholder's name without {@code FunctionArn}, first letter lower-cased: the same names the
 * deployment substitutes ARNs for); a literal Lambda ARN names the function after
 * {@code :function:}. A route without an integration is refused when the document is read, as API
 * Gateway's import refuses it.
 */
public final class OpenApiDocument {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Za-z0-9]+)FunctionArn}$");
  private static final Pattern FUNCTION_ARN = Pattern.compile(
      "arn:aws[a-z-]*:lambda:[^:]+:\\d+:function:([A-Za-z0-9_-]+)(?::[^/]*)?");

  /** One route: API Gateway's route key ({@code POST /uploads}), its function, and its JWT check. */
  public record Route(String method, String path, String function, Optional<JwtRequirement> jwt) {
    public String routeKey() {
      return method + " " + path;
    }
  }

  /** The route needs a token from the named authorizer, carrying each of {@code scopes} (if any). */
  public record JwtRequirement(String authorizer, List<String> scopes) {}

  /** {@code x-amazon-apigateway-cors}; origins as written in the document (often a placeholder). */
  public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {}

  private final List<Route> routes;
  private final Optional<Cors> cors;

  private OpenApiDocument(List<Route> routes, Optional<Cors> cors) {
    this.routes = List.copyOf(routes);
    this.cors = cors;
  }

  public static OpenApiDocument read(InputStream yamlOrJson) throws IOException {
    return parse(YAML.readTree(yamlOrJson));
  }

  public static OpenApiDocument read(String yamlOrJson) {
    return parse(YAML.readTree(yamlOrJson));
  }

  public List<Route> routes() {
    return routes;
  }

  public Optional<Cors> cors() {
    return cors;
  }

  private static OpenApiDocument parse(JsonNode doc) {
    if (doc == null || !doc.path("openapi").asString("").startsWith("3.")) {
      throw new IllegalArgumentException("not an OpenAPI 3 document (no 'openapi: 3.x')");
    }
    Map<String, JsonNode> jwtAuthorizers = new LinkedHashMap<>();
    doc.path("components").path("securitySchemes").properties().forEach(scheme -> {
      if ("jwt".equalsIgnoreCase(scheme.getValue().path("x-amazon-apigateway-authorizer").path("type").asString(""))) {
        jwtAuthorizers.put(scheme.getKey(), scheme.getValue());
      }
    });
    JsonNode rootSecurity = doc.path("security");
    List<String> problems = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      String key = op.getKey().toLowerCase(Locale.ROOT);
      String method;
      if (METHODS.contains(key)) {
        method = key.toUpperCase(Locale.ROOT);
      } else if (key.equals("x-amazon-apigateway-any-method")) {
        method = "ANY";
      } else {
        return; // parameters, summary, other extensions
      }
      String routeKey = method + " " + path.getKey();
      String function = function(op.getValue().path("x-amazon-apigateway-integration"));
      if (function == null) {
        problems.add(routeKey + ": no x-amazon-apigateway-integration whose uri names a Lambda function "
            + "(${NameFunctionArn} or a function ARN)");
        return;
      }
      JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : rootSecurity;
      routes.add(new Route(method, path.getKey(), function, jwt(security, jwtAuthorizers)));
    }));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the OpenAPI document has routes the gateway cannot serve:\n  "
          + String.join("\n  ", problems));
    }
    return new OpenApiDocument(routes, cors(doc.path("x-amazon-apigateway-cors")));
  }

  private static String function(JsonNode integration) {
    String uri = integration.path("uri").asString(null);
    if (uri == null) {
      return null;
    }
    Matcher placeholder = PLACEHOLDER.matcher(uri);
    if (placeholder.matches()) {
      String name = placeholder.group(1);
      return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
    Matcher arn = FUNCTION_ARN.matcher(uri);
    return arn.find() ? arn.group(1) : null;
  }

  /**
   * The first requirement naming a JWT authorizer. API Gateway attaches one authorizer per route;
   * an empty requirement list ({@code security: []}) leaves the route open.
   */
  private static Optional<JwtRequirement> jwt(JsonNode security, Map<String, JsonNode> jwtAuthorizers) {
    for (JsonNode requirement : security) {
      for (var entry : requirement.properties()) {
        if (jwtAuthorizers.containsKey(entry.getKey())) {
          List<String> scopes = new ArrayList<>();
          entry.getValue().forEach(s -> scopes.add(s.asString()));
          return Optional.of(new JwtRequirement(entry.getKey(), List.copyOf(scopes)));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Cors> cors(JsonNode cors) {
    if (cors.isMissingNode() || cors.isNull()) {
      return Optional.empty();
    }
    return Optional.of(new Cors(strings(cors.path("allowOrigins")), strings(cors.path("allowMethods")),
        strings(cors.path("allowHeaders")), strings(cors.path("exposeHeaders")),
        cors.path("allowCredentials").asBoolean(false),
        cors.has("maxAge") ? cors.get("maxAge").asInt() : null));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return List.copyOf(values);
  }
}
