package videopipe.localstack.apigateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lambda proxy integration, payload format version 2.0, both ways: the event API Gateway builds
 * from an HTTP request, and how it turns the function's answer back into an HTTP response.
 *
 * <p>Request: header names lower-cased, repeated headers joined with commas, cookies moved from
 * the {@code cookie} header to {@code cookies}, repeated query parameters joined with commas,
 * path and query parameters URL-decoded, the raw path and query string as sent; the body as text
 * for textual content types and base64 ({@code isBase64Encoded: true}) otherwise; absent fields
 * (no query, no path parameters, no body) left out rather than null.
 *
 * <p>Response: a JSON object with {@code statusCode} is read as {@code statusCode}, {@code headers},
 * {@code cookies}, {@code body}, {@code isBase64Encoded}; any other valid JSON is the body of a 200
 * with {@code content-type: application/json} (API Gateway's assumption for format 2.0); anything
 * else is the function's fault, 500.
 */
final class PayloadFormatV2 {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /** An HTTP request as the gateway received it; header names in any case, in arrival order. */
  record Request(String method, String rawPath, String rawQueryString, List<Map.Entry<String, String>> headers,
      byte[] body, String sourceIp, String protocol) {}

  /** The identity of the API and the call, which the event's request context carries. */
  record Context(String accountId, String apiId, String requestId, Instant time) {}

  /** An HTTP response to send: lower-case header names, cookies as Set-Cookie values. */
  record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {}

  private PayloadFormatV2() {}

  static byte[] event(Request request, String routeKey, Map<String, String> pathParameters,
      JwtAuthorizer.Verified jwt, Context context) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        for (String c : h.getValue().split(";")) {
          if (!c.isBlank()) {
            cookies.add(c.strip());
          }
        }
        continue;
      }
      headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
    }
    ObjectNode e = JSON.createObjectNode();
    e.put("version", "2.0");
    e.put("routeKey", routeKey);
    e.put("rawPath", request.rawPath());
    e.put("rawQueryString", request.rawQueryString() == null ? "" : request.rawQueryString());
    if (!cookies.isEmpty()) {
      e.set("cookies", JSON.valueToTree(cookies));
    }
    e.set("headers", JSON.valueToTree(headers));
    Map<String, String> query = query(request.rawQueryString());
    if (!query.isEmpty()) {
      e.set("queryStringParameters", JSON.valueToTree(query));
    }
    ObjectNode rc = e.putObject("requestContext");
    rc.put("accountId", context.accountId());
    rc.put("apiId", context.apiId());
    if (jwt != null) {
      ObjectNode j = rc.putObject("authorizer").putObject("jwt");
      j.set("claims", JSON.valueToTree(jwt.claims()));
      j.set("scopes", JSON.valueToTree(jwt.scopes()));
    }
    String domain = headers.getOrDefault("host", "localhost");
    rc.put("domainName", domain);
    rc.put("domainPrefix", domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain);
    ObjectNode http = rc.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    rc.put("requestId", context.requestId());
    rc.put("routeKey", routeKey);
    rc.put("stage", "$default");
    rc.put("time", TIME.format(context.time()));
    rc.put("timeEpoch", context.time().toEpochMilli());
    if (!pathParameters.isEmpty()) {
      e.set("pathParameters", JSON.valueToTree(pathParameters));
    }
    if (request.body().length > 0) {
      if (isText(headers.get("content-type"))) {
        e.put("body", new String(request.body(), StandardCharsets.UTF_8));
        e.put("isBase64Encoded", false);
      } else {
        e.put("body", Base64.getEncoder().encodeToString(request.body()));
        e.put("isBase64Encoded", true);
      }
    } else {
      e.put("isBase64Encoded", false);
    }
    return JSON.writeValueAsBytes(e);
  }

  /**
   * Textual bodies are passed as they are. API Gateway base64-encodes the rest, including a body
   * without a content type and form posts.
   */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
        || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
        || type.equals("application/graphql");
  }

  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.merge(name, value, (a, b) -> a + "," + b);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }

  /** The function's answer as HTTP, or a 500 when it is not JSON. */
  static Response response(byte[] answer) {
    JsonNode node;
    try {
      node = JSON.readTree(answer);
    } catch (JacksonException e) {
      throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR,
          "the function's answer is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR, "the function answered nothing");
    }
    if (!node.isObject() || !node.has("statusCode")) {
      return new Response(200, Map.of("content-type", "application/json"), List.of(), answer);
    }
    JsonNode status = node.get("statusCode");
    if (!status.canConvertToInt() && !status.asString("").matches("\\d{3}")) {
      throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR,
          "the function's statusCode is not a number: " + status);
    }
    int code = status.isNumber() ? status.intValue() : Integer.parseInt(status.asString());
    if (code < 100 || code > 599) {
      throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR, "statusCode " + code);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    node.path("headers").properties().forEach(h -> {
      if (h.getValue().isValueNode() && !h.getValue().isNull()) {
        headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asString());
      }
    });
    List<String> cookies = new ArrayList<>();
    node.path("cookies").forEach(c -> cookies.add(c.asString()));
    JsonNode body = node.get("body");
    byte[] bytes;
    if (body == null || body.isNull()) {
      bytes = new byte[0];
    } else if (node.path("isBase64Encoded").asBoolean(false)) {
      try {
        bytes = Base64.getDecoder().decode(body.asString());
      } catch (IllegalArgumentException e) {
        throw new ApiGatewayException(ApiGatewayException.Code.INTERNAL_SERVER_ERROR,
            "isBase64Encoded but the body is not base64");
      }
    } else {
      bytes = (body.isString() ? body.asString() : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
    }
    return new Response(code, headers, cookies, bytes);
  }
}
