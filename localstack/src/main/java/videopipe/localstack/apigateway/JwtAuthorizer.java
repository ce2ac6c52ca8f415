package videopipe.localstack.apigateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * API Gateway's JWT authorizer, locally: verifies a bearer token's RS256 signature against the
 * JWKS of a key generated at start (or one given, see {@link HttpApiGateway.Config#withSigningKeyJwk}),
 * then the issuer exactly, the audience ({@code aud}, or Cognito access tokens' {@code client_id},
 * as API Gateway accepts either), {@code exp} and {@code nbf} with no clock skew, and the route's
 * scopes. Any failure is 401 without a reason, as on AWS; the reason goes to the gateway's log.
 *
 * <p>{@link #mintToken} stands in for Cognito: it signs a token for a user with the same key, so
 * tests and the CLI get a token the gateway accepts and that a real API Gateway would verify the
 * same way against this JWKS. Another process mints with {@link #mintToken(String, String, String,
 * String, Duration, Instant)} and the private JWK {@link #signingKeyJwk()} exports (the CLI's
 * {@code videopipe local token} reads it from the stack file {@code videopipe local up} writes).
 */
public final class JwtAuthorizer {

  /** What passed: the claims, each value a string as API Gateway passes them, and the scopes. */
  record Verified(Map<String, String> claims, List<String> scopes) {}

  private final RSAKey key;
  private final JWKSet publicKeys;
  private final String issuer;
  private final Set<String> audiences;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> processor;

  JwtAuthorizer(String issuer, Collection<String> audiences, Clock clock) {
    this(issuer, audiences, clock, null);
  }

  /** {@code signingKeyJwk} null: a new key; else that private RSA JWK, which must have a key ID. */
  JwtAuthorizer(String issuer, Collection<String> audiences, Clock clock, String signingKeyJwk) {
    if (issuer == null || issuer.isBlank() || audiences.isEmpty()) {
      throw new IllegalArgumentException("the JWT authorizer needs an issuer and at least one audience");
    }
    if (signingKeyJwk == null) {
      try {
        this.key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
            .keyID(UUID.randomUUID().toString()).generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate the local signing key", e);
      }
    } else {
      this.key = privateKey(signingKeyJwk);
    }
    this.publicKeys = new JWKSet(key.toPublicJWK());
    this.issuer = issuer;
    this.audiences = Set.copyOf(audiences);
    this.clock = clock;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(publicKeys)));
    // Cognito's tokens carry no typ; API Gateway does not require one
    processor.setJWSTypeVerifier((type, context) -> {
      if (type != null && !type.equals(JOSEObjectType.JWT) && !"at+jwt".equalsIgnoreCase(type.getType())) {
        throw new BadJOSEException("unexpected typ " + type);
      }
    });
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(JwtAuthorizer.this.clock.instant());
      }
    };
    claims.setMaxClockSkew(0);
    processor.setJWTClaimsSetVerifier(claims);
  }

  public String issuer() {
    return issuer;
  }

  public Set<String> audiences() {
    return audiences;
  }

  /** The public key set, as {@code /.well-known/jwks.json} serves it. */
  public String jwksJson() {
    return publicKeys.toString(true);
  }

  /**
   * The signing key as a private JWK (JSON): whoever holds it can mint tokens this authorizer
   * accepts, so it goes only where the local keys go (the stack file, mode 0600), never to a log.
   */
  public String signingKeyJwk() {
    return key.toJSONString();
  }

  /** The signing key's ID, the {@code kid} of the JWKS and of every token it signs. */
  public String keyId() {
    return key.getKeyID();
  }

  /** A token for {@code sub}, from this issuer for the first audience, valid from now for {@code ttl}. */
  public String mintToken(String sub, Duration ttl) {
    return sign(key, claims(issuer, audiences.iterator().next(), sub, ttl, clock.instant()));
  }

  /**
   * A token for {@code sub} signed with {@code signingKeyJwk} (a private RSA JWK, as {@link
   * #signingKeyJwk()} exports it), naming {@code issuer} and {@code audience}, valid from {@code now}
   * for {@code ttl}: what {@link #mintToken(String, Duration)} makes, in a process that holds only
   * the key. The authorizer still checks all of it (signature, issuer, audience, expiry).
   */
  public static String mintToken(String signingKeyJwk, String issuer, String audience, String sub, Duration ttl,
      Instant now) {
    if (sub == null || sub.isBlank()) {
      throw new IllegalArgumentException("a token needs a subject (user)");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, was " + ttl);
    }
    return sign(privateKey(signingKeyJwk), claims(issuer, audience, sub, ttl, now));
  }

  private static JWTClaimsSet claims(String issuer, String audience, String sub, Duration ttl, Instant now) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim("token_use", "access")
        .build();
  }

  /**
   * Throws {@link IllegalArgumentException} saying what is wrong (without echoing the key) unless
   * {@code jwk} is a key this authorizer can sign with: for who keeps one, to refuse it early.
   */
  public static void checkSigningKey(String jwk) {
    privateKey(jwk);
  }

  /** Parses a private RSA JWK with a key ID, saying what is wrong without echoing the key. */
  private static RSAKey privateKey(String jwk) {
    RSAKey parsed;
    try {
      parsed = RSAKey.parse(jwk);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the signing key is not an RSA JWK: " + e.getMessage());
    }
    if (!parsed.isPrivate()) {
      throw new IllegalArgumentException("the signing key is a public JWK: signing needs the private key (\"d\")");
    }
    if (parsed.getKeyID() == null) {
      throw new IllegalArgumentException("the signing key has no key ID (\"kid\")");
    }
    if (parsed.size() < 2048) {
      throw new IllegalArgumentException("the signing key has " + parsed.size() + " bits: RS256 needs at least 2048");
    }
    return parsed;
  }

  /** Any claims, signed with the gateway's key: for tests of what the authorizer refuses. */
  public String sign(JWTClaimsSet claims) {
    return sign(key, claims);
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /**
   * Verifies the {@code Authorization} header's value ({@code Bearer <jwt>}, or the bare token,
   * both of which API Gateway accepts) for a route needing {@code scopes}.
   *
   * @throws ApiGatewayException 401 when the token is missing or fails any check, 403 when it lacks
   *     every one of the route's scopes
   */
  Verified verify(String authorization, List<String> scopes) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("no Authorization header");
    }
    String token = authorization.strip();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).strip();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw unauthorized(e.getMessage());
    }
    List<String> aud = claims.getAudience();
    Object clientId = claims.getClaim("client_id");
    boolean audienceOk = aud.stream().anyMatch(audiences::contains)
        || (aud.isEmpty() && clientId instanceof String c && audiences.contains(c));
    if (!audienceOk) {
      throw unauthorized("audience " + aud + (clientId == null ? "" : " / client_id " + clientId)
          + " is not one of " + audiences);
    }
    List<String> tokenScopes = scopes(claims);
    if (!scopes.isEmpty() && scopes.stream().noneMatch(tokenScopes::contains)) {
      throw new ApiGatewayException(ApiGatewayException.Code.FORBIDDEN, "the token has none of the scopes " + scopes);
    }
    // from the token's own JSON, not the parsed set, which turns a single "aud" into a list
    Map<String, Object> raw;
    try {
      raw = com.nimbusds.jose.util.JSONObjectUtils.parse(
          com.nimbusds.jose.util.Base64URL.from(token.split("\\.")[1]).decodeToString());
    } catch (ParseException e) {
      throw unauthorized(e.getMessage());
    }
    Map<String, String> strings = new LinkedHashMap<>();
    raw.forEach((name, value) -> strings.put(name, asString(value)));
    return new Verified(strings, scopes.isEmpty() ? null : scopes.stream().filter(tokenScopes::contains).toList());
  }

  private static List<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope == null) {
      scope = claims.getClaim("scp");
    }
    if (scope instanceof String s) {
      return List.of(s.trim().split("\\s+"));
    }
    if (scope instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /**
   * A claim as API Gateway passes it: strings as they are, numbers and booleans in their JSON
   * form ({@code exp} as epoch seconds), arrays as {@code [a b]} (how HTTP APIs render Cognito's
   * {@code cognito:groups}), objects as JSON.
   */
  private static String asString(Object value) {
    if (value instanceof Date d) {
      return Long.toString(d.getTime() / 1000);
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(JwtAuthorizer::asString).collect(Collectors.joining(" ", "[", "]"));
    }
    if (value instanceof Map<?, ?> m) {
      return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(castMap(m));
    }
    return String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Map<?, ?> m) {
    return (Map<String, ?>) new LinkedHashMap<>(m);
  }

  private static ApiGatewayException unauthorized(String why) {
    return new ApiGatewayException(ApiGatewayException.Code.UNAUTHORIZED, why);
  }
}
