package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * What a presigned URL lets its holder do, and nothing more, checked by S3Proxy with SigV4 on (as
 * S3 checks it): once expired it is refused; changing its signature, key, content type or length
 * is refused; a part URL does not work for another multipart upload or another part number, nor
 * for a body of another length. Each refusal stores nothing. (A second PUT through a single-use
 * URL: {@code UploadFlowTest}; owner isolation: {@code VideosReadTest}, {@code BadRequestTest},
 * {@code UploadApiOverHttpTest}.)
 */
@ExtendWith(LocalAwsExtension.class)
class PresignedUrlSecurityTest {

  private static ApiFixture api;

  @BeforeAll
  static void setUp(LocalAws aws) {
    api = ApiFixture.start(aws);
  }

  private static JsonNode newUpload(String owner, long size) {
    ApiFixture.Reply r = api.createUpload(owner, "a.mp4", "video/mp4", size);
    assertThat(r.status()).isEqualTo(201);
    return r.body().path("upload");
  }

  private static int put(String url, Map<String, String> headers, byte[] body) {
    return ApiFixture.send("PUT", url, headers, body).statusCode();
  }

  @Test
  void refusesAnExpiredUrl() throws Exception {
    ApiFixture shortLived = new ApiFixture(api.aws, Map.of("UPLOAD_URL_TTL_SECONDS", "1"));
    String owner = ApiFixture.newOwner();
    JsonNode upload = shortLived.createUpload(owner, "a.mp4", "video/mp4", 10).body().path("upload");
    Thread.sleep(2100);

    assertThat(ApiFixture.send(upload, new byte[10]).statusCode()).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesATamperedSignature() {
    String owner = ApiFixture.newOwner();
    JsonNode upload = newUpload(owner, 10);
    String url = upload.path("url").asString();
    int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    String tampered = url.substring(0, at) + (url.charAt(at) == 'a' ? 'b' : 'a') + url.substring(at + 1);

    assertThat(put(tampered, ApiFixture.headers(upload), new byte[10])).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesAnotherKey() {
    String owner = ApiFixture.newOwner();
    JsonNode upload = newUpload(owner, 10);
    String url = upload.path("url").asString().replace("/source?", "/other?");

    assertThat(put(url, ApiFixture.headers(upload), new byte[10])).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesAnotherContentType() {
    String owner = ApiFixture.newOwner();
    JsonNode upload = newUpload(owner, 10);
    Map<String, String> headers = new LinkedHashMap<>(ApiFixture.headers(upload));
    headers.put("content-type", "application/x-msdownload");

    assertThat(put(upload.path("url").asString(), headers, new byte[10])).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesAnotherLength() {
    String owner = ApiFixture.newOwner();
    JsonNode upload = newUpload(owner, 10);

    assertThat(ApiFixture.send(upload, new byte[11]).statusCode()).isEqualTo(403);
    assertThat(ApiFixture.send(upload, new byte[9]).statusCode()).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesAPutWithoutTheSignedIfNoneMatch() {
    String owner = ApiFixture.newOwner();
    JsonNode upload = newUpload(owner, 10);
    Map<String, String> headers = new LinkedHashMap<>(ApiFixture.headers(upload));
    headers.remove("if-none-match");

    assertThat(put(upload.path("url").asString(), headers, new byte[10])).isEqualTo(403);
    assertThat(objectsOf(owner)).isZero();
  }

  @Test
  void refusesAPartUrlForAnotherMultipartUpload() {
    String owner = ApiFixture.newOwner();
    long size = 9L * 1024 * 1024;
    JsonNode mine = api.createUpload(owner, "a.mp4", "video/mp4", size).body().path("multipart");
    JsonNode other = api.createUpload(owner, "b.mp4", "video/mp4", size).body().path("multipart");
    JsonNode part = mine.path("parts").get(1).path("upload");
    String url = part.path("url").asString().replace(mine.path("uploadId").asString(),
        other.path("uploadId").asString());

    // Either way (403, or the connection closed) the part must not land in the other upload.
    assertThat(putOrClosed(url, ApiFixture.headers(part), new byte[1024 * 1024])).isIn(403, null);
    String otherId = other.path("uploadId").asString();
    String otherKey = api.aws.s3Client().listMultipartUploads(b -> b.bucket(api.aws.bucket())
        .prefix("uploads/" + owner + "/")).uploads().stream()
        .filter(u -> u.uploadId().equals(otherId)).findFirst().orElseThrow().key();
    assertThat(api.aws.s3Client().listParts(b -> b.bucket(api.aws.bucket()).key(otherKey).uploadId(otherId)).parts())
        .isEmpty();
  }

  /** A 9 MiB upload's plan: part 1 of 8 MiB, part 2 of 1 MiB. */
  private static JsonNode newMultipart(ApiFixture fixture, String owner) {
    ApiFixture.Reply r = fixture.createUpload(owner, "a.mp4", "video/mp4", 9L * 1024 * 1024);
    assertThat(r.status()).isEqualTo(201);
    return r.body().path("multipart");
  }

  private static Integer putOrClosed(String url, Map<String, String> headers, byte[] body) {
    return ApiFixture.statusOrClosed("PUT", url, headers, body);
  }

  private static int partsOf(String owner, JsonNode plan) {
    String uploadId = plan.path("uploadId").asString();
    String key = api.aws.s3Client().listMultipartUploads(b -> b.bucket(api.aws.bucket())
        .prefix("uploads/" + owner + "/")).uploads().stream()
        .filter(u -> u.uploadId().equals(uploadId)).findFirst().orElseThrow().key();
    return api.aws.s3Client().listParts(b -> b.bucket(api.aws.bucket()).key(key).uploadId(uploadId)).parts().size();
  }

  @Test
  void refusesAPartUrlWithAnotherPartNumber() {
    String owner = ApiFixture.newOwner();
    JsonNode plan = newMultipart(api, owner);
    JsonNode part = plan.path("parts").get(1).path("upload");
    String url = part.path("url").asString().replace("partNumber=2", "partNumber=1");
    assertThat(url).isNotEqualTo(part.path("url").asString());

    assertThat(putOrClosed(url, ApiFixture.headers(part), new byte[1024 * 1024])).isIn(403, null);
    assertThat(partsOf(owner, plan)).isZero();
  }

  @Test
  void refusesAPartOfAnotherLength() {
    String owner = ApiFixture.newOwner();
    JsonNode plan = newMultipart(api, owner);
    JsonNode part = plan.path("parts").get(1).path("upload");

    assertThat(putOrClosed(part.path("url").asString(), ApiFixture.headers(part), new byte[1024 * 1024 - 1]))
        .isIn(403, null);
    assertThat(partsOf(owner, plan)).isZero();
  }

  @Test
  void refusesAnExpiredPartUrl() throws Exception {
    ApiFixture shortLived = new ApiFixture(api.aws, Map.of("UPLOAD_URL_TTL_SECONDS", "1"));
    String owner = ApiFixture.newOwner();
    JsonNode plan = newMultipart(shortLived, owner);
    JsonNode part = plan.path("parts").get(1).path("upload");
    Thread.sleep(2100);

    assertThat(putOrClosed(part.path("url").asString(), ApiFixture.headers(part), new byte[1024 * 1024]))
        .isIn(403, null);
    assertThat(partsOf(owner, plan)).isZero();
  }

  private static int objectsOf(String owner) {
    return api.aws.s3Client().listObjectsV2(b -> b.bucket(api.aws.bucket()).prefix("uploads/" + owner + "/"))
        .contents().size();
  }
}
