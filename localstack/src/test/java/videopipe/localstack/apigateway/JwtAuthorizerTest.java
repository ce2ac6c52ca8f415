package videopipe.localstack.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The JWT authorizer refuses every token API Gateway's would, with the same bare 401 and without
 * calling the function: a function trusts the claims it is given, so a token that slips through
 * here is a caller acting as someone else.
 */
class JwtAuthorizerTest {

  private static EchoApi api;
  private static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    api = EchoApi.start();
    api.overrides.put("listItems", (f, e) -> {
      calls.incrementAndGet();
      return ("{\"statusCode\":200,\"body\":" + EchoApi.JSON.writeValueAsString(new String(e)) + "}").getBytes();
    });
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JWTClaimsSet.Builder valid() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().subject("alice").issuer(api.gateway.issuer()).audience("videopipe-local")
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
  }

  private static HttpResponse<String> withAuthorization(String value) {
    return api.send("GET", "/items", value == null ? Map.of() : Map.of("Authorization", value), null);
  }

  private static void assertUnauthorized(String authorization) {
    int before = calls.get();
    HttpResponse<String> r = withAuthorization(authorization);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    assertThat(calls.get()).as("the function was not called").isEqualTo(before);
  }

  @Test
  void acceptsAMintedTokenAndPassesItsClaimsAsStrings() {
    HttpResponse<String> r = withAuthorization("Bearer " + api.gateway.mintToken("alice", Duration.ofMinutes(1)));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode jwt = EchoApi.JSON.readTree(r.body()).path("requestContext").path("authorizer").path("jwt");
    assertThat(jwt.path("claims").path("sub").asString()).isEqualTo("alice");
    assertThat(jwt.path("claims").path("iss").asString()).isEqualTo(api.gateway.issuer());
    assertThat(jwt.path("claims").path("exp").isString()).isTrue();
    assertThat(jwt.path("claims").path("exp").asString()).matches("\\d{10}");
    assertThat(jwt.path("claims").path("aud").asString()).isEqualTo("videopipe-local");
  }

  @Test
  void rendersArrayAndNumberClaimsAsApiGatewayDoes() {
    String token = api.gateway.authorizer().sign(valid().claim("cognito:groups", List.of("admin", "creators"))
        .claim("level", 3).claim("verified", true).build());
    JsonNode claims = EchoApi.JSON.readTree(withAuthorization("Bearer " + token).body())
        .path("requestContext").path("authorizer").path("jwt").path("claims");
    assertThat(claims.path("cognito:groups").asString()).isEqualTo("[admin creators]");
    assertThat(claims.path("level").asString()).isEqualTo("3");
    assertThat(claims.path("verified").asString()).isEqualTo("true");
  }

  @Test
  void acceptsTheTokenWithoutTheBearerPrefix() {
    assertThat(withAuthorization(api.gateway.mintToken("alice", Duration.ofMinutes(1))).statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsACognitoAccessTokenWhoseClientIdIsTheAudience() {
    String token = api.gateway.authorizer().sign(valid().audience((String) null).claim("client_id", "videopipe-local")
        .build());
    assertThat(withAuthorization("Bearer " + token).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesARequestWithoutAToken() {
    assertUnauthorized(null);
    assertUnauthorized("Bearer ");
  }

  @Test
  void refusesAnUnsignedToken() {
    assertUnauthorized("Bearer " + new PlainJWT(valid().build()).serialize());
  }

  @Test
  void refusesAnAlgNoneHeaderOnASignedLookingToken() {
    String signed = api.gateway.authorizer().sign(valid().build());
    String payload = signed.split("\\.")[1];
    String none = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    assertUnauthorized("Bearer " + none + "." + payload + ".");
    assertUnauthorized("Bearer " + none + "." + payload + "." + signed.split("\\.")[2]);
  }

  @Test
  void refusesAnotherIssuer() {
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid().issuer("https://evil.example.com").build()));
  }

  @Test
  void refusesAnotherAudience() {
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid().audience("someone-else").build()));
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid().audience((String) null).build()));
  }

  @Test
  void refusesAnExpiredToken() {
    Instant past = Instant.now().minusSeconds(5);
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid().issueTime(Date.from(past.minusSeconds(60)))
        .notBeforeTime(Date.from(past.minusSeconds(60))).expirationTime(Date.from(past)).build()));
    assertUnauthorized("Bearer " + api.gateway.mintToken("alice", Duration.ofSeconds(-1)));
  }

  @Test
  void refusesATokenWithoutExpiry() {
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid().expirationTime(null).build()));
  }

  @Test
  void refusesATokenNotYetValid() {
    assertUnauthorized("Bearer " + api.gateway.authorizer().sign(valid()
        .notBeforeTime(Date.from(Instant.now().plusSeconds(120))).build()));
  }

  @Test
  void refusesATokenSignedWithAnotherKey() throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).keyID("other").generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("other").build(), valid().build());
    jwt.sign(new RSASSASigner(other));
    assertUnauthorized("Bearer " + jwt.serialize());
  }

  @Test
  void refusesATokenSignedWithAnotherKeyUnderTheGatewaysKeyId() throws Exception {
    String kid = EchoApi.JSON.readTree(api.gateway.authorizer().jwksJson()).path("keys").get(0).path("kid").asString();
    RSAKey other = new RSAKeyGenerator(2048).generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), valid().build());
    jwt.sign(new RSASSASigner(other));
    assertUnauthorized("Bearer " + jwt.serialize());
  }

  @Test
  void refusesAnHmacTokenKeyedWithThePublicKey() throws Exception {
    byte[] secret = api.gateway.authorizer().jwksJson().getBytes();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), valid().build());
    jwt.sign(new MACSigner(secret));
    assertUnauthorized("Bearer " + jwt.serialize());
  }

  @Test
  void refusesATamperedPayload() {
    String[] parts = api.gateway.mintToken("alice", Duration.ofMinutes(1)).split("\\.");
    String mallory = valid().subject("mallory").build().toString();
    String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mallory.getBytes());
    assertUnauthorized("Bearer " + parts[0] + "." + payload + "." + parts[2]);
  }

  @Test
  void refusesAMalformedToken() {
    assertUnauthorized("Bearer not-a-jwt");
    assertUnauthorized("Bearer a.b.c");
    assertUnauthorized("Basic YWxpY2U6c2VjcmV0");
  }

  @Test
  void leavesOpenRoutesUnchecked() {
    api.overrides.put("health", (f, e) -> "{\"ok\":true}".getBytes());
    HttpResponse<String> r = api.send("GET", "/health", Map.of(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void forbidsATokenWithoutTheRoutesScope() {
    HttpResponse<String> r = api.send("GET", "/admin", Map.of("Authorization", "Bearer "
        + api.gateway.mintToken("alice", Duration.ofMinutes(1))), null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("{\"message\":\"Forbidden\"}");

    String admin = api.gateway.authorizer().sign(valid().claim("scope", "read admin").build());
    JsonNode e = EchoApi.event(api.send("GET", "/admin", Map.of("Authorization", "Bearer " + admin), null));
    assertThat(e.path("requestContext").path("authorizer").path("jwt").path("scopes").toString())
        .isEqualTo("[\"admin\"]");
  }
}
