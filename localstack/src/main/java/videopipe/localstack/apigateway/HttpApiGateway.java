package videopipe.localstack.apigateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import videopipe.localstack.Loopback;

/**
 * API Gateway's HTTP API, locally: serves the routes of an OpenAPI document on a loopback port,
 * verifies JWTs for the routes the document secures, and calls each route's function with a
 * payload format 2.0 event through a {@link LambdaIntegration}, mapping its answer back to HTTP as
 * API Gateway does. It also answers what API Gateway answers itself: 404 for no route, 401 for a
 * token that fails, 413 over the body limit, 500 when the function fails, CORS preflights. Its
 * JWT issuer's keys are at {@code /.well-known/jwks.json} on the same port.
 *
 * <pre>{@code
 * try (HttpApiGateway api = HttpApiGateway.start(HttpApiGateway.Config.defaults(),
 *     OpenApiDocument.read(in), (function, event) -> lambda.invoke(function, event))) {
 *   String token = api.mintToken("alice", Duration.ofMinutes(15));
 *   // GET api.endpoint() + "/videos" with "Authorization: Bearer " + token
 * }
 * }</pre>
 */
public final class HttpApiGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpApiGateway.class);
  /** API Gateway's payload limit for HTTP APIs. */
  public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  /** How much of an oversize body is read and dropped before answering 413, so the client reads the answer. */
  private static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
  private static final SecureRandom IDS = new SecureRandom();

  /**
   * The gateway's settings. {@code issuer} null means the gateway's own endpoint (where its JWKS
   * is); {@code allowedOrigins} replace the document's CORS origins, which are per-stack
   * placeholders; {@code port} 0 takes any free port; {@code signingKeyJwk} null means a key
   * generated at start, else the authorizer signs and verifies with that private RSA JWK (so that a
   * restarted stack keeps accepting the tokens it minted).
   */
  public record Config(int port, String issuer, List<String> audiences, List<String> allowedOrigins,
      int maxBodyBytes, String accountId, String apiId, Clock clock, String signingKeyJwk) {

    public Config {
      audiences = List.copyOf(audiences);
      allowedOrigins = List.copyOf(allowedOrigins);
      Objects.requireNonNull(clock, "clock");
    }

    public static Config defaults() {
      return new Config(0, null, List.of("videopipe-local"), List.of(), DEFAULT_MAX_BODY_BYTES, "000000000000",
          "local", Clock.systemUTC(), null);
    }

    public Config withPort(int port) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    public Config withIssuer(String issuer) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    public Config withAudiences(List<String> audiences) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    public Config withAllowedOrigins(List<String> allowedOrigins) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    public Config withMaxBodyBytes(int maxBodyBytes) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    public Config withClock(Clock clock) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    /** Sign with this private RSA JWK (as {@link JwtAuthorizer#signingKeyJwk()} exports it) instead of a new key. */
    public Config withSigningKeyJwk(String signingKeyJwk) {
      return new Config(port, issuer, audiences, allowedOrigins, maxBodyBytes, accountId, apiId, clock, signingKeyJwk);
    }

    /** Without the private key, which must not reach a log. */
    @Override
    public String toString() {
      return "Config[port=" + port + ", issuer=" + issuer + ", audiences=" + audiences + ", allowedOrigins="
          + allowedOrigins + ", maxBodyBytes=" + maxBodyBytes + ", accountId=" + accountId + ", apiId=" + apiId
          + ", signingKey=" + (signingKeyJwk == null ? "generated" : "provided") + "]";
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Config config;
  private final RouteTable routes;
  private final Cors cors;
  private final JwtAuthorizer authorizer;
  private final LambdaIntegration integration;

  private HttpApiGateway(HttpServer server, ExecutorService executor, Config config, OpenApiDocument document,
      LambdaIntegration integration) {
    this.server = server;
    this.executor = executor;
    this.config = config;
    this.routes = new RouteTable(document.routes());
    this.cors = document.cors().map(c -> new Cors(c, config.allowedOrigins())).orElse(null);
    String issuer = config.issuer() != null ? config.issuer() : endpoint().toString();
    this.authorizer = new JwtAuthorizer(issuer, config.audiences(), config.clock(), config.signingKeyJwk());
    this.integration = integration;
  }

  /** Starts serving {@code document}'s routes on 127.0.0.1. */
  public static HttpApiGateway start(Config config, OpenApiDocument document, LambdaIntegration integration)
      throws IOException {
    // Loopback first: it turns Nagle off for the JDK's HttpServer, which reads that once, at its first server.
    ExecutorService executor = Executors.newCachedThreadPool(Loopback.daemons("apigateway-http"));
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
    HttpApiGateway gateway = new HttpApiGateway(server, executor, config, document, integration);
    server.createContext("/", gateway::handle);
    server.setExecutor(executor);
    server.start();
    return gateway;
  }

  /** {@code http://127.0.0.1:<port>}, the API's invoke URL (stage {@code $default}). */
  public URI endpoint() {
    return Loopback.endpoint(server);
  }

  public URI jwksUri() {
    return endpoint().resolve(JWKS_PATH);
  }

  /** The issuer tokens must name ({@code iss}). */
  public String issuer() {
    return authorizer.issuer();
  }

  /** A token the gateway accepts, for user {@code sub}, valid from now for {@code ttl}. */
  public String mintToken(String sub, Duration ttl) {
    return authorizer.mintToken(sub, ttl);
  }

  /** The authorizer, to sign arbitrary claims (tests of what it refuses). */
  public JwtAuthorizer authorizer() {
    return authorizer;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String requestId = requestId();
      exchange.getResponseHeaders().set("apigw-requestid", requestId);
      PayloadFormatV2.Response response;
      try {
        response = route(exchange, requestId);
      } catch (ApiGatewayException e) {
        if (e.code == ApiGatewayException.Code.INTERNAL_SERVER_ERROR) {
          log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e.getMessage());
        } else {
          log.debug("{} {}: {} ({})", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
              e.code.status, e.getMessage());
        }
        response = error(e.code);
      }
      send(exchange, response);
    }
  }

  private PayloadFormatV2.Response route(HttpExchange exchange, String requestId) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (method.equals("GET") && rawPath.equals(JWKS_PATH)) {
      return new PayloadFormatV2.Response(200, Map.of("content-type", "application/json"), List.of(),
          authorizer.jwksJson().getBytes(StandardCharsets.UTF_8));
    }
    if (cors != null && Cors.isPreflight(method, exchange.getRequestHeaders())) {
      drain(exchange.getRequestBody(), 0);
      cors.preflight(exchange.getRequestHeaders(), exchange.getResponseHeaders());
      return new PayloadFormatV2.Response(204, Map.of(), List.of(), new byte[0]);
    }
    byte[] body = readBody(exchange);
    RouteTable.Match match = routes.match(method, rawPath).orElseThrow(() -> new ApiGatewayException(
        ApiGatewayException.Code.NOT_FOUND, "no route for " + method + " " + rawPath));
    JwtAuthorizer.Verified jwt = match.route().jwt().map(req -> authorizer.verify(
        exchange.getRequestHeaders().getFirst("Authorization"), req.scopes())).orElse(null);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
    PayloadFormatV2.Request request = new PayloadFormatV2.Request(method, rawPath, uri.getRawQuery(), headers, body,
        exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
    byte[] event = PayloadFormatV2.event(request, match.route().routeKey(), match.pathParameters(), jwt,
        new PayloadFormatV2.Context(config.accountId(), config.apiId(), requestId, config.clock().instant()));
    byte[] answer;
    try {
      answer = integration.invoke(match.route().function(), event);
    } catch (Exception e) {
      log.warn("{} → function {} failed", match.route().routeKey(), match.route().function(), e);
      throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR, "function error");
    }
    return PayloadFormatV2.response(answer == null ? new byte[0] : answer);
  }

  /** The body, or 413 once it passes the limit (checked against Content-Length first, then as read). */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declared.matches("\\d{1,19}") && Long.parseLong(declared) > config.maxBodyBytes()) {
      drain(in, 0);
      throw tooLarge(Long.parseLong(declared));
    }
    byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
    if (body.length > config.maxBodyBytes()) {
      drain(in, body.length);
      throw tooLarge(body.length);
    }
    return body;
  }

  private ApiGatewayException tooLarge(long bytes) {
    return new ApiGatewayException(ApiGatewayException.Code.REQUEST_ENTITY_TOO_LARGE,
        "body of " + bytes + " bytes over " + config.maxBodyBytes());
  }

  private static void drain(InputStream in, long already) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = already;
    int n;
    while (total < MAX_DRAIN_BYTES && (n = in.read(buffer)) >= 0) {
      total += n;
    }
  }

  private static PayloadFormatV2.Response error(ApiGatewayException.Code code) {
    return new PayloadFormatV2.Response(code.status, Map.of("content-type", "application/json"), List.of(),
        ("{\"message\":\"" + code.message + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpExchange exchange, PayloadFormatV2.Response response) throws IOException {
    var out = exchange.getResponseHeaders();
    response.headers().forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name)) {
        out.set(name, value);
      }
    });
    response.cookies().forEach(c -> out.add("Set-Cookie", c));
    if (cors != null && !Cors.isPreflight(exchange.getRequestMethod(), exchange.getRequestHeaders())) {
      cors.apply(exchange.getRequestHeaders(), out);
    }
    boolean noBody = response.status() == 204 || response.status() == 304 || response.body().length == 0
        || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
    if (!noBody) {
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(response.body());
      }
    }
  }

  /** Set by the server from the body it sends, never by the function. */
  private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("content-length", "transfer-encoding",
      "connection", "keep-alive", "date");

  /** Like API Gateway's: 10 random bytes, base64 ({@code JKJaXmPLvHcESHA=}). */
  private static String requestId() {
    byte[] id = new byte[10];
    IDS.nextBytes(id);
    return Base64.getEncoder().encodeToString(id);
  }
}
