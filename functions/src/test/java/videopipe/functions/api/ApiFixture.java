package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.Settings;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.localstack.junit.LocalAws;

/**
 * The upload API wired to the emulators, called the way API Gateway calls it: payload format 2.0
 * JSON, parsed as the Lambda runtime would, with the caller's claims in the request context. And
 * a plain HTTP client for what creators send straight to S3 with the presigned requests.
 */
final class ApiFixture {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Restricted in java.net.http: the client sets them from the body and the URL. */
  private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host");

  final LocalAws aws;
  final Catalog catalog;
  final ApiFunctions api;

  ApiFixture(LocalAws aws, Map<String, String> overrides) {
    this.aws = aws;
    this.catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CATALOG_TABLE", aws.tableName());
    env.put("EVENT_BUS_NAME", "unused");
    env.put("UPLOAD_BUCKET", aws.bucket());
    env.put("S3_FORCE_PATH_STYLE", "true");
    env.put("SINGLE_PUT_MAX_BYTES", Long.toString(1024 * 1024));
    env.put("MAX_UPLOAD_BYTES", Long.toString(64L * 1024 * 1024));
    env.putAll(overrides);
    this.api = new ApiFunctions(Settings.from(env), catalog, aws.s3Client(), aws.s3Presigner(), Clock.systemUTC());
  }

  static ApiFixture start(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    return new ApiFixture(aws, Map.of());
  }

  static String newOwner() {
    return UUID.randomUUID().toString();
  }

  /** Payload format 2.0, as API Gateway sends it after its JWT authorizer accepted the token of {@code sub}. */
  static String event(String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query,
      String body, String sub) {
    Map<String, Object> e = new LinkedHashMap<>();
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    e.put("version", "2.0");
    e.put("routeKey", routeKey);
    e.put("rawPath", path);
    e.put("rawQueryString", "");
    e.put("headers", Map.of("content-type", "application/json", "authorization", "Bearer eyJ.redacted",
        "host", "api.example.com", "user-agent", "test"));
    if (query != null) {
      e.put("queryStringParameters", query);
    }
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", "000000000000");
    context.put("apiId", "api");
    context.put("domainName", "api.example.com");
    context.put("http", Map.of("method", method, "path", path, "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1",
        "userAgent", "test"));
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", "24/Nov/2026:12:00:00 +0000");
    context.put("timeEpoch", 1795521600000L);
    if (sub != null) {
      context.put("authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", sub, "iss",
          "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test", "token_use", "access"),
          "scopes", List.of())));
    }
    e.put("requestContext", context);
    if (pathParameters != null) {
      e.put("pathParameters", pathParameters);
    }
    if (body != null) {
      e.put("body", body);
    }
    e.put("isBase64Encoded", false);
    return JSON.writeValueAsString(e);
  }

  Reply call(String function, String eventJson) {
    HttpApiRequest request = JSON.readValue(eventJson, HttpApiRequest.class);
    HttpApiResponse response = api.route(function).apply(request);
    return new Reply(response.statusCode(), response.body() == null ? null : JSON.readTree(response.body()));
  }

  Reply createUpload(String owner, String body) {
    return call("createUpload", event("POST /uploads", "/uploads", null, null, body, owner));
  }

  Reply createUpload(String owner, String fileName, String contentType, long size) {
    return createUpload(owner, JSON.writeValueAsString(Map.of("fileName", fileName, "contentType", contentType,
        "sizeBytes", size)));
  }

  Reply complete(String owner, String videoId, String body) {
    return call("completeUpload", event("POST /uploads/{videoId}/complete", "/uploads/" + videoId + "/complete",
        Map.of("videoId", videoId), null, body, owner));
  }

  Reply abort(String owner, String videoId) {
    return call("abortUpload", event("DELETE /uploads/{videoId}", "/uploads/" + videoId,
        Map.of("videoId", videoId), null, null, owner));
  }

  Reply get(String owner, String videoId) {
    return call("getVideo", event("GET /videos/{videoId}", "/videos/" + videoId, Map.of("videoId", videoId),
        null, null, owner));
  }

  Reply list(String owner, Map<String, String> query) {
    return call("listVideos", event("GET /videos", "/videos", null, query, null, owner));
  }

  /** Sends a presigned request from the API's answer with its headers, as a creator's client would. */
  static HttpResponse<byte[]> send(JsonNode signed, byte[] body) {
    return send(signed.path("method").asString(), signed.path("url").asString(), headers(signed), body);
  }

  static Map<String, String> headers(JsonNode signed) {
    Map<String, String> headers = new LinkedHashMap<>();
    signed.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
    return headers;
  }

  static HttpResponse<byte[]> send(String method, String url, Map<String, String> headers, byte[] body) {
    // Expect: 100-continue lets S3 refuse a request (a bad signature, say) before the body is sent;
    // without it, a refusal that arrives while a large body is still going out resets the
    // connection, and the client may lose the answer the test is about.
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .expectContinue(body != null && body.length > 0)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, v) -> {
      if (!SET_BY_CLIENT.contains(k.toLowerCase())) {
        b.header(k, v);
      }
    });
    // A client per request, as independent creators' requests are: after a refusal S3Proxy may
    // close the connection, and a pooled one reused for the next request reads nothing.
    try {
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The status S3 answered a request it should refuse, or null when it closed the connection before
   * the answer was read (S3Proxy may, refusing a request whose body is on its way). Callers check
   * that nothing was stored either way.
   */
  static Integer statusOrClosed(String method, String url, Map<String, String> headers, byte[] body) {
    try {
      return send(method, url, headers, body).statusCode();
    } catch (IllegalStateException connectionClosed) {
      return null;
    }
  }

  /** Nothing was stored for this owner: no catalog item, no object. */
  void assertNothingStoredFor(String owner) {
    assertThat(catalog.listByOwner(owner, 10, null).videos()).isEmpty();
    assertThat(aws.s3Client().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("uploads/" + owner + "/")).contents())
        .isEmpty();
  }

  record Reply(int status, JsonNode body) {
    String error() {
      return body.path("error").asString();
    }

    String field() {
      return body.path("field").asString(null);
    }
  }
}
