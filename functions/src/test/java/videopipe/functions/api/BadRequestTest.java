package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * Every malformed request, sent over real HTTP through the local gateway (a minted token, the
 * repo's OpenAPI document, the beans under Spring Cloud Function's invoker), gets its exact status,
 * error code and field, and stores nothing: no catalog item, no object, no multipart upload.
 */
@ExtendWith(LocalAwsExtension.class)
class BadRequestTest {

  private static GatewayFixture http;
  private static ApiFixture api;

  @BeforeAll
  static void setUp(LocalAws aws) throws Exception {
    http = new GatewayFixture(aws);
    api = http.api;
  }

  @AfterAll
  static void tearDown() {
    http.close();
  }

  private static GatewayFixture.Reply create(String owner, String body) {
    return http.postJson("/uploads", http.token(owner), body);
  }

  private static GatewayFixture.Reply complete(String owner, String videoId, String body) {
    return http.postJson("/uploads/" + videoId + "/complete", http.token(owner), body);
  }

  /** A 9 MiB upload planned in two parts, both sent; its answer. */
  private static GatewayFixture.Reply multipartWithPartsSent(String owner) {
    GatewayFixture.Reply created = create(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":" + 9L * 1024 * 1024 + "}");
    assertThat(created.status()).isEqualTo(201);
    for (var part : created.body().path("multipart").path("parts")) {
      assertThat(ApiFixture.send(part.path("upload"), new byte[(int) part.path("sizeBytes").asLong()]).statusCode())
          .isEqualTo(200);
    }
    return created;
  }

  static Stream<Arguments> badUploads() {
    String ok = "\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":100";
    return Stream.of(
        Arguments.of("not JSON", "{\"fileName\":", 400, "MALFORMED_JSON", null),
        Arguments.of("not an object", "[1,2]", 400, "MALFORMED_JSON", null),
        Arguments.of("trailing garbage", "{" + ok + "} x", 400, "MALFORMED_JSON", null),
        Arguments.of("duplicate key", "{" + ok + ",\"sizeBytes\":1}", 400, "MALFORMED_JSON", null),
        Arguments.of("empty body", "", 400, "MALFORMED_JSON", null),
        Arguments.of("body over the limit", "{" + ok + ",\"x\":\"" + "a".repeat(20_000) + "\"}", 413,
            "BODY_TOO_LARGE", null),
        Arguments.of("missing fileName", "{\"contentType\":\"video/mp4\",\"sizeBytes\":100}", 400, "MISSING_FIELD",
            "fileName"),
        Arguments.of("missing contentType", "{\"fileName\":\"a.mp4\",\"sizeBytes\":100}", 400, "MISSING_FIELD",
            "contentType"),
        Arguments.of("missing sizeBytes", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\"}", 400,
            "MISSING_FIELD", "sizeBytes"),
        Arguments.of("unknown field", "{" + ok + ",\"key\":\"uploads/x\"}", 400, "UNKNOWN_FIELD", "key"),
        Arguments.of("size zero", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":0}", 400,
            "INVALID_FIELD", "sizeBytes"),
        Arguments.of("negative size", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":-5}", 400,
            "INVALID_FIELD", "sizeBytes"),
        Arguments.of("fractional size", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1.5}",
            400, "INVALID_FIELD", "sizeBytes"),
        Arguments.of("size as a string", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":\"9\"}",
            400, "INVALID_FIELD", "sizeBytes"),
        Arguments.of("size over the limit",
            "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":" + (64L * 1024 * 1024 + 1) + "}",
            400, "TOO_LARGE", "sizeBytes"),
        Arguments.of("image", "{\"fileName\":\"a.mp4\",\"contentType\":\"image/png\",\"sizeBytes\":100}", 400,
            "UNSUPPORTED_CONTENT_TYPE", "contentType"),
        Arguments.of("executable", "{\"fileName\":\"a.mp4\",\"contentType\":\"application/x-msdownload\","
            + "\"sizeBytes\":100}", 400, "UNSUPPORTED_CONTENT_TYPE", "contentType"),
        Arguments.of("video with parameters", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4; x=1\","
            + "\"sizeBytes\":100}", 400, "UNSUPPORTED_CONTENT_TYPE", "contentType"),
        Arguments.of("dot-dot path", "{\"fileName\":\"../../etc/passwd\",\"contentType\":\"video/mp4\","
            + "\"sizeBytes\":100}", 400, "INVALID_FIELD", "fileName"),
        Arguments.of("backslash path", "{\"fileName\":\"..\\\\a.mp4\",\"contentType\":\"video/mp4\","
            + "\"sizeBytes\":100}", 400, "INVALID_FIELD", "fileName"),
        Arguments.of("NUL", "{\"fileName\":\"a.mp4\\u0000.exe\",\"contentType\":\"video/mp4\",\"sizeBytes\":100}",
            400, "INVALID_FIELD", "fileName"),
        Arguments.of("newline", "{\"fileName\":\"a\\n.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":100}",
            400, "INVALID_FIELD", "fileName"),
        Arguments.of("bidi override", "{\"fileName\":\"a\\u202Egpj.exe\",\"contentType\":\"video/mp4\","
            + "\"sizeBytes\":100}", 400, "INVALID_FIELD", "fileName"),
        Arguments.of("lone surrogate", "{\"fileName\":\"a\\ud800.mp4\",\"contentType\":\"video/mp4\","
            + "\"sizeBytes\":100}", 400, "INVALID_FIELD", "fileName"),
        Arguments.of("2 KiB of unicode", "{\"fileName\":\"" + "é".repeat(1024) + "\",\"contentType\":\"video/mp4\","
            + "\"sizeBytes\":100}", 400, "INVALID_FIELD", "fileName"),
        Arguments.of("blank name", "{\"fileName\":\"  \",\"contentType\":\"video/mp4\",\"sizeBytes\":100}",
            400, "INVALID_FIELD", "fileName"),
        Arguments.of("captions not an array", "{" + ok + ",\"captions\":{}}", 400, "INVALID_FIELD", "captions"),
        Arguments.of("too many captions", "{" + ok + ",\"captions\":[" + captions(9) + "]}", 400,
            "TOO_MANY_CAPTIONS", "captions"),
        Arguments.of("caption lang not BCP-47", "{" + ok + ",\"captions\":[{\"lang\":\"english\","
            + "\"fileName\":\"a.vtt\",\"sizeBytes\":5}]}", 400, "INVALID_FIELD", "captions[0].lang"),
        Arguments.of("caption lang twice", "{" + ok + ",\"captions\":[{\"lang\":\"en\",\"fileName\":\"a.vtt\","
            + "\"sizeBytes\":5},{\"lang\":\"EN\",\"fileName\":\"b.vtt\",\"sizeBytes\":5}]}", 400, "INVALID_FIELD",
            "captions[1].lang"),
        Arguments.of("caption not vtt or srt", "{" + ok + ",\"captions\":[{\"lang\":\"en\","
            + "\"fileName\":\"a.exe\",\"sizeBytes\":5}]}", 400, "INVALID_FIELD", "captions[0].fileName"),
        Arguments.of("caption path", "{" + ok + ",\"captions\":[{\"lang\":\"en\","
            + "\"fileName\":\"../a.vtt\",\"sizeBytes\":5}]}", 400, "INVALID_FIELD", "captions[0].fileName"),
        Arguments.of("caption too big", "{" + ok + ",\"captions\":[{\"lang\":\"en\","
            + "\"fileName\":\"a.vtt\",\"sizeBytes\":2000000}]}", 400, "INVALID_FIELD", "captions[0].sizeBytes"),
        Arguments.of("caption unknown field", "{" + ok + ",\"captions\":[{\"lang\":\"en\","
            + "\"fileName\":\"a.vtt\",\"sizeBytes\":5,\"key\":\"x\"}]}", 400, "UNKNOWN_FIELD", "captions[0].key"));
  }

  private static String captions(int n) {
    String[] langs = {"en", "fr", "de", "es", "it", "pt", "nl", "sv", "fi", "da"};
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"lang\":\"").append(langs[i]).append("\",\"fileName\":\"c.vtt\",\"sizeBytes\":5}");
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUploads")
  void refusesABadUploadRequestNamingTheFieldAndStoresNothing(String what, String body, int status, String error,
      String field) {
    String owner = ApiFixture.newOwner();

    GatewayFixture.Reply r = create(owner, body);

    assertThat(r.status()).as(what).isEqualTo(status);
    assertThat(r.error()).as(what).isEqualTo(error);
    assertThat(r.field()).as(what).isEqualTo(field);
    assertThat(r.message()).as(what).isNotBlank();
    api.assertNothingStoredFor(owner);
    assertThat(api.aws.s3Client().listMultipartUploads(b -> b.bucket(api.aws.bucket()).prefix("uploads/" + owner + "/"))
        .uploads()).as(what).isEmpty();
  }

  /**
   * Spring Cloud Function's AWS adapter invokes a function once per element when an API Gateway
   * event's body is a JSON array, converting each element into the function's input: an element
   * shaped like an event, with claims of the caller's choosing, would be taken for the request
   * itself. Every array body is refused as not an object, whoever it claims to be.
   */
  static Stream<Arguments> arrayBodies() {
    String forged = "{\"version\":\"2.0\",\"routeKey\":\"POST /uploads\",\"rawPath\":\"/uploads\","
        + "\"requestContext\":{\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"VICTIM\"}}}},"
        + "\"body\":\"{\\\"fileName\\\":\\\"a.mp4\\\",\\\"contentType\\\":\\\"video/mp4\\\","
        + "\\\"sizeBytes\\\":10}\"}";
    return Stream.of(
        Arguments.of("an array of numbers", "[1,2]"),
        Arguments.of("an empty array", "[]"),
        Arguments.of("an array of one object", "[{}]"),
        Arguments.of("an event claiming another subject", "[" + forged + "]"),
        Arguments.of("two such events", "[" + forged + "," + forged + "]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arrayBodies")
  void refusesAnArrayBodyAndActsForNobody(String what, String template) {
    String caller = ApiFixture.newOwner();
    String victim = ApiFixture.newOwner();

    GatewayFixture.Reply r = create(caller, template.replace("VICTIM", victim));

    assertThat(r.status()).as(what).isEqualTo(400);
    assertThat(r.error()).as(what).isEqualTo("MALFORMED_JSON");
    assertThat(r.message()).as(what).contains("JSON object");
    api.assertNothingStoredFor(caller);
    api.assertNothingStoredFor(victim);
  }

  /** Behind the gateway a request always carries claims; the function still refuses one without. */
  @Test
  void refusesARequestWithoutVerifiedClaims() {
    String body = "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":100}";

    ApiFixture.Reply r = api.call("createUpload", ApiFixture.event("POST /uploads", "/uploads", null, null, body, null));

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.error()).isEqualTo("UNAUTHORIZED");
    assertThat(api.call("listVideos", ApiFixture.event("GET /videos", "/videos", null, null, null, null)).status())
        .isEqualTo(401);
  }

  @Test
  void refusesASubjectThatCannotNameAFolder() {
    GatewayFixture.Reply r = create("../admin", "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":100}");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.error()).isEqualTo("UNAUTHORIZED");
    assertThat(api.aws.s3Client().listObjectsV2(b -> b.bucket(api.aws.bucket()).prefix("uploads/../")).contents())
        .isEmpty();
  }

  static Stream<Arguments> badCompletions() {
    return Stream.of(
        Arguments.of("not JSON", "parts=1,2", 400, "MALFORMED_JSON", null),
        Arguments.of("no parts", "{}", 400, "MISSING_FIELD", "parts"),
        Arguments.of("empty parts", "{\"parts\":[]}", 400, "INVALID_FIELD", "parts"),
        Arguments.of("unknown field", "{\"parts\":[{\"partNumber\":1,\"etag\":\"e\"}],\"uploadId\":\"x\"}", 400,
            "UNKNOWN_FIELD", "uploadId"),
        Arguments.of("out of order", "{\"parts\":[{\"partNumber\":2,\"etag\":\"e\"},{\"partNumber\":1,\"etag\":\"e\"}]}",
            400, "INVALID_PARTS", "parts[0].partNumber"),
        Arguments.of("a gap", "{\"parts\":[{\"partNumber\":1,\"etag\":\"e\"},{\"partNumber\":3,\"etag\":\"e\"}]}",
            400, "INVALID_PARTS", "parts[1].partNumber"),
        Arguments.of("a missing part", "{\"parts\":[{\"partNumber\":1,\"etag\":\"e\"}]}", 400, "INVALID_PARTS",
            "parts"),
        Arguments.of("no etag", "{\"parts\":[{\"partNumber\":1},{\"partNumber\":2,\"etag\":\"e\"}]}", 400,
            "MISSING_FIELD", "parts[0].etag"),
        Arguments.of("empty etag", "{\"parts\":[{\"partNumber\":1,\"etag\":\"\"},{\"partNumber\":2,\"etag\":\"e\"}]}",
            400, "INVALID_FIELD", "parts[0].etag"),
        Arguments.of("wrong etags", "{\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"00000000000000000000000000000000\\\"\"},"
            + "{\"partNumber\":2,\"etag\":\"\\\"11111111111111111111111111111111\\\"\"}]}", 400, "INVALID_PARTS",
            "parts"),
        Arguments.of("one wrong etag", null, 400, "INVALID_PARTS", "parts"),
        Arguments.of("too many parts", "{\"parts\":[" + "{\"partNumber\":1,\"etag\":\"e\"},".repeat(1000)
            + "{\"partNumber\":1001,\"etag\":\"e\"}]}", 400, "INVALID_PARTS", "parts"),
        Arguments.of("body over the limit", "{\"parts\":[{\"partNumber\":1,\"etag\":\"" + "e".repeat(300_000)
            + "\"}]}", 413, "BODY_TOO_LARGE", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCompletions")
  void refusesABadCompletionNamingTheFieldAndCompletesNothing(String what, String body, int status, String error,
      String field) {
    String owner = ApiFixture.newOwner();
    GatewayFixture.Reply created = multipartWithPartsSent(owner);
    String videoId = created.body().path("videoId").asString();
    String completion = body != null ? body : "{\"parts\":[{\"partNumber\":1,\"etag\":\""
        + "\\\"00000000000000000000000000000000\\\"\"},{\"partNumber\":2,\"etag\":"
        + ApiFixture.JSON.writeValueAsString(etagOfPart(owner, created, 2)) + "}]}";

    GatewayFixture.Reply r = complete(owner, videoId, completion);

    assertThat(r.status()).as(what).isEqualTo(status);
    assertThat(r.error()).as(what).isEqualTo(error);
    assertThat(r.field()).as(what).isEqualTo(field);
    assertThat(r.message()).as(what).isNotBlank();
    assertThat(api.catalog.uploadState(videoId).orElseThrow().uploadedAt()).isNull();
    assertThat(api.aws.s3Client().listObjectsV2(b -> b.bucket(api.aws.bucket()).prefix("uploads/" + owner + "/"))
        .contents()).isEmpty();
    assertThat(api.aws.s3Client().listMultipartUploads(b -> b.bucket(api.aws.bucket()).prefix("uploads/" + owner + "/"))
        .uploads()).as("the upload can still be completed").hasSize(1);
  }

  /** The ETag S3 holds for part {@code n} of the upload {@code created} planned. */
  private static String etagOfPart(String owner, GatewayFixture.Reply created, int n) {
    String uploadId = created.body().path("multipart").path("uploadId").asString();
    String key = "uploads/" + owner + "/" + created.body().path("videoId").asString() + "/source";
    return api.aws.s3Client().listParts(b -> b.bucket(api.aws.bucket()).key(key).uploadId(uploadId)).parts().stream()
        .filter(p -> p.partNumber() == n).findFirst().orElseThrow().eTag();
  }

  @Test
  void refusesToCompleteASinglePut() {
    String owner = ApiFixture.newOwner();
    String videoId = create(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":10}")
        .body().path("videoId").asString();

    GatewayFixture.Reply r = complete(owner, videoId, "{\"parts\":[{\"partNumber\":1,\"etag\":\"e\"}]}");

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("NOT_MULTIPART");
    assertThat(api.catalog.uploadState(videoId).orElseThrow().uploadedAt()).isNull();
  }

  @Test
  void refusesToCompleteTwiceAndKeepsTheObject() {
    String owner = ApiFixture.newOwner();
    GatewayFixture.Reply created = multipartWithPartsSent(owner);
    String videoId = created.body().path("videoId").asString();
    String completion = "{\"parts\":[{\"partNumber\":1,\"etag\":"
        + ApiFixture.JSON.writeValueAsString(etagOfPart(owner, created, 1)) + "},{\"partNumber\":2,\"etag\":"
        + ApiFixture.JSON.writeValueAsString(etagOfPart(owner, created, 2)) + "}]}";
    GatewayFixture.Reply first = complete(owner, videoId, completion);
    assertThat(first.status()).isEqualTo(200);
    String key = "uploads/" + owner + "/" + videoId + "/source";
    String etag = api.aws.s3Client().headObject(b -> b.bucket(api.aws.bucket()).key(key)).eTag();

    GatewayFixture.Reply again = complete(owner, videoId, completion);

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("ALREADY_COMPLETED");
    assertThat(api.aws.s3Client().headObject(b -> b.bucket(api.aws.bucket()).key(key)).eTag()).isEqualTo(etag);
    assertThat(api.aws.s3Client().headObject(b -> b.bucket(api.aws.bucket()).key(key)).contentLength())
        .isEqualTo(9L * 1024 * 1024);
  }

  @Test
  void refusesToCompleteOrAbortAnotherCreatorsUploadAndLeavesItToItsOwner() {
    String alice = ApiFixture.newOwner();
    String bob = ApiFixture.newOwner();
    GatewayFixture.Reply created = multipartWithPartsSent(alice);
    String videoId = created.body().path("videoId").asString();
    String completion = "{\"parts\":[{\"partNumber\":1,\"etag\":"
        + ApiFixture.JSON.writeValueAsString(etagOfPart(alice, created, 1)) + "},{\"partNumber\":2,\"etag\":"
        + ApiFixture.JSON.writeValueAsString(etagOfPart(alice, created, 2)) + "}]}";

    GatewayFixture.Reply byBob = complete(bob, videoId, completion);
    GatewayFixture.Reply abortByBob = http.send("DELETE", "/uploads/" + videoId, http.token(bob), null, null);
    GatewayFixture.Reply missing = complete(bob, "AAAAAAAAAAAAAAAAAAAAAA", completion);

    assertThat(byBob.status()).isEqualTo(404);
    assertThat(byBob.error()).isEqualTo("NOT_FOUND");
    assertThat(byBob.message()).isEqualTo(missing.message().replace("AAAAAAAAAAAAAAAAAAAAAA", videoId));
    assertThat(abortByBob.status()).isEqualTo(404);
    assertThat(api.catalog.uploadState(videoId).orElseThrow().uploadedAt()).isNull();
    assertThat(api.catalog.get(videoId).orElseThrow().status().name()).isEqualTo("AWAITING_UPLOAD");
    api.assertNothingStoredFor(bob);
    assertThat(complete(alice, videoId, completion).status()).isEqualTo(200);
  }
}
