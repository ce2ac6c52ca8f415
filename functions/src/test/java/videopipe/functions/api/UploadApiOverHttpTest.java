package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * The upload API end to end over real HTTP: a minted token, the local HTTP API gateway reading the
 * repo's OpenAPI document, the route beans through Spring Cloud Function's invoker, the bytes PUT
 * straight to S3 with the presigned request. What the gateway refuses (tokens, oversize bodies)
 * reaches the client with its status and body, and stores nothing; what the functions refuse
 * (malformed requests) is in {@code BadRequestTest}, over the same HTTP.
 */
@ExtendWith(LocalAwsExtension.class)
class UploadApiOverHttpTest {

  private static GatewayFixture http;

  @BeforeAll
  static void setUp(LocalAws aws) throws Exception {
    http = new GatewayFixture(aws);
  }

  @AfterAll
  static void tearDown() {
    http.close();
  }

  @Test
  void uploadsAVideoAndReadsItBackAsItsOwnerOnly() {
    String owner = ApiFixture.newOwner();
    byte[] bytes = new byte[300_000];
    Arrays.fill(bytes, (byte) 7);

    GatewayFixture.Reply created = http.postJson("/uploads", http.token(owner),
        "{\"fileName\":\"holiday.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":" + bytes.length + "}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.http().headers().firstValue("content-type")).hasValue("application/json");
    String videoId = created.body().path("videoId").asString();

    HttpResponse<byte[]> put = ApiFixture.send(created.body().path("upload"), bytes);
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(http.api.aws.s3Client().getObjectAsBytes(b -> b.bucket(http.api.aws.bucket())
        .key("uploads/" + owner + "/" + videoId + "/source")).asByteArray()).isEqualTo(bytes);

    GatewayFixture.Reply mine = http.get("/videos/" + videoId, http.token(owner));
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body().path("videoId").asString()).isEqualTo(videoId);
    assertThat(mine.body().path("fileName").asString()).isEqualTo("holiday.mp4");

    String other = ApiFixture.newOwner();
    GatewayFixture.Reply theirs = http.get("/videos/" + videoId, http.token(other));
    GatewayFixture.Reply missing = http.get("/videos/AAAAAAAAAAAAAAAAAAAAAA", http.token(other));
    assertThat(theirs.status()).isEqualTo(404);
    assertThat(theirs.error()).isEqualTo("NOT_FOUND");
    assertThat(theirs.message()).isEqualTo(missing.message().replace("AAAAAAAAAAAAAAAAAAAAAA", videoId));
    assertThat(http.get("/videos", http.token(other)).body().path("videos")).isEmpty();

    JsonNode list = http.get("/videos?limit=5", http.token(owner)).body();
    assertThat(list.path("videos").get(0).path("videoId").asString()).isEqualTo(videoId);
  }

  @Test
  void answersAPreflightForTheStudiosOrigin() {
    HttpResponse<String> r = ApiFixture.HTTP.sendAsync(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(http.gateway.endpoint() + "/uploads"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", GatewayFixture.ORIGIN).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type").build(),
        HttpResponse.BodyHandlers.ofString()).join();
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(GatewayFixture.ORIGIN);
  }

  @Test
  void refusesABodyOverApiGatewaysLimitBeforeTheFunction() {
    String owner = ApiFixture.newOwner();
    String body = "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":100,\"x\":\""
        + "a".repeat(10 * 1024 * 1024) + "\"}";

    GatewayFixture.Reply r = http.postJson("/uploads", http.token(owner), body);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).isEqualTo("Request Entity Too Large");
    http.api.assertNothingStoredFor(owner);
  }

  @Test
  void refusesAnExpiredTokenAndStoresNothing() {
    String owner = ApiFixture.newOwner();
    String expired = http.gateway.mintToken(owner, Duration.ofSeconds(-1));

    GatewayFixture.Reply r = http.postJson("/uploads", expired,
        "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":100}");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.message()).isEqualTo("Unauthorized");
    http.api.assertNothingStoredFor(owner);
  }

  @Test
  void refusesARequestWithoutAToken() {
    GatewayFixture.Reply r = http.get("/videos", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().toString()).isEqualTo("{\"message\":\"Unauthorized\"}");
  }

  @Test
  void refusesATokenFromAnotherIssuerSignedWithTheRightKey() {
    String owner = ApiFixture.newOwner();
    String forged = http.gateway.authorizer().sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(owner)
        .issuer("https://evil.example.com").audience("videopipe-local")
        .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
    assertThat(http.postJson("/uploads", forged, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":100}").status()).isEqualTo(401);
    http.api.assertNothingStoredFor(owner);
  }

  @Test
  void answersNotFoundForARouteTheDocumentDoesNotDeclare() {
    GatewayFixture.Reply r = http.send("PUT", "/videos/abc", http.token("alice"), "application/json",
        "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().toString()).isEqualTo("{\"message\":\"Not Found\"}");
  }
}
