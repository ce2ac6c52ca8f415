package videopipe.localstack.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process other than the gateway's mints tokens with the private JWK the gateway exports (what
 * {@code videopipe local token} does with the stack file), and the gateway still checks every
 * claim; a gateway given that key keeps accepting the tokens of the one that generated it.
 */
class SigningKeyExportTest {

  private static EchoApi api;

  @BeforeAll
  static void start() throws Exception {
    api = EchoApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<String> get(EchoApi on, String token) {
    return on.send("GET", "/items", Map.of("Authorization", "Bearer " + token), null);
  }

  private static String mintedElsewhere(String issuer, String audience, String sub) {
    return JwtAuthorizer.mintToken(api.gateway.authorizer().signingKeyJwk(), issuer, audience, sub,
        Duration.ofMinutes(5), Instant.now());
  }

  @Test
  void acceptsATokenMintedWithTheExportedKey() {
    HttpResponse<String> r = get(api, mintedElsewhere(api.gateway.issuer(), "videopipe-local", "alice"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(EchoApi.event(r).path("requestContext").path("authorizer").path("jwt").path("claims").path("sub")
        .asString()).isEqualTo("alice");
  }

  @Test
  void stillRefusesAnotherIssuerOrAudienceSignedWithTheExportedKey() {
    assertThat(get(api, mintedElsewhere("https://elsewhere.example.com", "videopipe-local", "alice")).statusCode())
        .isEqualTo(401);
    assertThat(get(api, mintedElsewhere(api.gateway.issuer(), "another-app", "alice")).statusCode()).isEqualTo(401);
  }

  @Test
  void exportsThePrivateKeyOfTheServedJwks() throws Exception {
    RSAKey exported = RSAKey.parse(api.gateway.authorizer().signingKeyJwk());
    JWKSet served = JWKSet.parse(api.gateway.authorizer().jwksJson());

    assertThat(exported.isPrivate()).isTrue();
    assertThat(served.getKeys()).singleElement().satisfies(k -> {
      assertThat(k.getKeyID()).isEqualTo(exported.getKeyID()).isEqualTo(api.gateway.authorizer().keyId());
      assertThat(k.isPrivate()).as("the JWKS serves the public half only").isFalse();
    });
  }

  @Test
  void aGatewayGivenTheKeyAcceptsTheTokensOfTheOneThatGeneratedIt() throws Exception {
    String issuer = "http://127.0.0.1:4510";
    try (EchoApi first = new EchoApi(HttpApiGateway.Config.defaults().withIssuer(issuer))) {
      String token = first.gateway.mintToken("bob", Duration.ofMinutes(5));
      String key = first.gateway.authorizer().signingKeyJwk();
      first.close();
      try (EchoApi restarted = new EchoApi(HttpApiGateway.Config.defaults().withIssuer(issuer).withSigningKeyJwk(key))) {
        assertThat(get(restarted, token).statusCode()).isEqualTo(200);
        assertThat(restarted.gateway.authorizer().keyId()).isEqualTo(first.gateway.authorizer().keyId());
        assertThat(get(api, token).statusCode()).as("another key's gateway").isEqualTo(401);
      }
    }
  }

  @Test
  void refusesAPublicKeyOrAKeyWithoutIdAndNeverEchoesIt() throws Exception {
    RSAKey key = RSAKey.parse(api.gateway.authorizer().signingKeyJwk());
    String publicOnly = key.toPublicJWK().toJSONString();
    String noKid = new RSAKey.Builder(key).keyID(null).build().toJSONString();

    assertThatThrownBy(() -> new EchoApi(HttpApiGateway.Config.defaults().withSigningKeyJwk(publicOnly)))
        .hasMessage("the signing key is a public JWK: signing needs the private key (\"d\")");
    assertThatThrownBy(() -> JwtAuthorizer.mintToken(noKid, "i", "a", "alice", Duration.ofMinutes(1), Instant.now()))
        .hasMessage("the signing key has no key ID (\"kid\")");
    assertThatThrownBy(() -> JwtAuthorizer.mintToken("{\"kty\":\"RSA\"", "i", "a", "alice", Duration.ofMinutes(1),
        Instant.now())).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the signing key is not an RSA JWK");
    assertThat(HttpApiGateway.Config.defaults().withSigningKeyJwk(key.toJSONString()).toString())
        .contains("signingKey=provided").doesNotContain(key.getPrivateExponent().toString());
  }

  @Test
  void refusesANonPositiveLifetime() {
    assertThatThrownBy(() -> mintedElsewhereWithTtl(Duration.ZERO))
        .hasMessage("a token's lifetime must be positive, was PT0S");
  }

  private static String mintedElsewhereWithTtl(Duration ttl) {
    return JwtAuthorizer.mintToken(api.gateway.authorizer().signingKeyJwk(), api.gateway.issuer(),
        List.of("videopipe-local").get(0), "alice", ttl, Instant.now());
  }
}
