package videopipe.functions.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * An API Gateway HTTP API request, payload format 2.0: the fields the routes read. API Gateway
 * sends more (cookies, stage, request id, time…), which are ignored. Header names arrive in lower
 * case; repeated headers and query parameters arrive joined with commas.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiRequest(
    String version,
    String routeKey,
    String rawPath,
    String rawQueryString,
    Map<String, String> headers,
    Map<String, String> pathParameters,
    Map<String, String> queryStringParameters,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded,
    RequestContext requestContext) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequestContext(String requestId, Http http, Authorizer authorizer) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Http(String method, String path) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Authorizer(Jwt jwt) {}

  /** What the JWT authorizer verified: the token's claims (as strings, as API Gateway passes them). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Jwt(Map<String, Object> claims, java.util.List<String> scopes) {}

  public String pathParameter(String name) {
    return pathParameters == null ? null : pathParameters.get(name);
  }

  public String queryParameter(String name) {
    return queryStringParameters == null ? null : queryStringParameters.get(name);
  }

  /**
   * The caller's subject, from the claims the authorizer verified; empty when there is none. The
   * functions never read a token themselves: on AWS and locally alike the gateway's JWT authorizer
   * did, and only its claims are trusted.
   */
  public java.util.Optional<String> subject() {
    if (requestContext == null || requestContext.authorizer() == null || requestContext.authorizer().jwt() == null
        || requestContext.authorizer().jwt().claims() == null) {
      return java.util.Optional.empty();
    }
    Object sub = requestContext.authorizer().jwt().claims().get("sub");
    return sub instanceof String s && !s.isBlank() ? java.util.Optional.of(s) : java.util.Optional.empty();
  }
}
