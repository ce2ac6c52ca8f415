package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.SourceKey;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * A creator's upload from start to finish against S3Proxy (signatures checked) and dynalite: the
 * API's answer is all a client needs, and what it sends lands at {@code uploads/{owner}/{id}/source}.
 */
@ExtendWith(LocalAwsExtension.class)
class UploadFlowTest {

  private static final long MIB = 1024 * 1024;
  private static ApiFixture api;

  @BeforeAll
  static void setUp(LocalAws aws) {
    api = ApiFixture.start(aws);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private HeadObjectResponse head(String owner, String videoId) {
    return api.aws.s3Client().headObject(b -> b.bucket(api.aws.bucket()).key(SourceKey.of(owner, videoId)));
  }

  @Test
  void uploadsASmallVideoWithOnePresignedPut() {
    String owner = ApiFixture.newOwner();
    byte[] video = bytes(300_000, 1);
    ApiFixture.Reply r = api.createUpload(owner, "holiday.mp4", "video/mp4", video.length);
    assertThat(r.status()).isEqualTo(201);
    String videoId = r.body().path("videoId").asString();
    assertThat(videoId).matches("[A-Za-z0-9_-]{22}");
    assertThat(r.body().has("multipart")).isFalse();
    JsonNode upload = r.body().path("upload");
    assertThat(upload.path("method").asString()).isEqualTo("PUT");
    assertThat(ApiFixture.headers(upload)).containsEntry("content-type", "video/mp4")
        .containsEntry("content-length", Integer.toString(video.length)).containsEntry("if-none-match", "*");

    HttpResponse<byte[]> put = ApiFixture.send(upload, video);

    assertThat(put.statusCode()).isEqualTo(200);
    HeadObjectResponse head = head(owner, videoId);
    assertThat(head.contentLength()).isEqualTo(video.length);
    assertThat(head.contentType()).isEqualTo("video/mp4");
    var item = api.catalog.get(videoId).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
    assertThat(item.ownerId()).isEqualTo(owner);
    assertThat(item.fileName()).isEqualTo("holiday.mp4");
    assertThat(item.declaredBytes()).isEqualTo(video.length);
  }

  @Test
  void refusesASecondPutThroughTheSameUrlAndKeepsTheFirstObject() {
    String owner = ApiFixture.newOwner();
    byte[] first = bytes(1000, 2);
    byte[] second = bytes(1000, 3);
    ApiFixture.Reply r = api.createUpload(owner, "a.mp4", "video/mp4", first.length);
    JsonNode upload = r.body().path("upload");
    assertThat(ApiFixture.send(upload, first).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> again = ApiFixture.send(upload, second);

    assertThat(again.statusCode()).isEqualTo(412);
    byte[] stored = api.aws.s3Client().getObjectAsBytes(b -> b.bucket(api.aws.bucket())
        .key(SourceKey.of(owner, r.body().path("videoId").asString()))).asByteArray();
    assertThat(stored).isEqualTo(first);
  }

  @Test
  void plansAMultipartUploadAboveTheSinglePutLimitAndCompletesIt() {
    String owner = ApiFixture.newOwner();
    byte[] video = bytes((int) (17 * MIB), 4);
    ApiFixture.Reply r = api.createUpload(owner, "long.mov", "video/quicktime", video.length);
    assertThat(r.status()).isEqualTo(201);
    String videoId = r.body().path("videoId").asString();
    JsonNode plan = r.body().path("multipart");
    assertThat(r.body().has("upload")).isFalse();
    assertThat(plan.path("partSize").asLong()).isEqualTo(8 * MIB);
    assertThat(plan.path("partCount").asInt()).isEqualTo(3);
    assertThat(plan.path("completeWith").asString()).isEqualTo("POST /uploads/" + videoId + "/complete");

    List<Map<String, Object>> done = new ArrayList<>();
    for (JsonNode part : plan.path("parts")) {
      int n = part.path("partNumber").asInt();
      int from = (int) ((n - 1) * 8 * MIB);
      int to = (int) Math.min(video.length, from + 8 * MIB);
      assertThat(part.path("sizeBytes").asLong()).isEqualTo(to - from);
      HttpResponse<byte[]> put = ApiFixture.send(part.path("upload"), java.util.Arrays.copyOfRange(video, from, to));
      assertThat(put.statusCode()).as("part %d", n).isEqualTo(200);
      done.add(Map.of("partNumber", n, "etag", put.headers().firstValue("etag").orElseThrow()));
    }
    String completion = ApiFixture.JSON.writeValueAsString(Map.of("parts", done));

    ApiFixture.Reply completed = api.complete(owner, videoId, completion);

    assertThat(completed.status()).isEqualTo(200);
    assertThat(completed.body().path("videoId").asString()).isEqualTo(videoId);
    assertThat(head(owner, videoId).contentLength()).isEqualTo(video.length);
    assertThat(api.catalog.uploadState(videoId).orElseThrow().uploadedAt()).isNotNull();

    ApiFixture.Reply twice = api.complete(owner, videoId, completion);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.error()).isEqualTo("ALREADY_COMPLETED");
    ApiFixture.Reply abortAfter = api.abort(owner, videoId);
    assertThat(abortAfter.status()).isEqualTo(409);
    assertThat(abortAfter.error()).isEqualTo("ALREADY_COMPLETED");
  }

  @Test
  void abortsAMultipartUploadSoItsPartUrlsNoLongerWork() {
    String owner = ApiFixture.newOwner();
    ApiFixture.Reply r = api.createUpload(owner, "big.mp4", "video/mp4", 9 * MIB);
    String videoId = r.body().path("videoId").asString();

    ApiFixture.Reply aborted = api.abort(owner, videoId);

    assertThat(aborted.status()).isEqualTo(204);
    assertThat(api.catalog.get(videoId).orElseThrow().status()).isEqualTo(VideoStatus.ABORTED);
    // S3 answers 404 NoSuchUpload to a part for an aborted upload; S3Proxy's store still takes it
    // (200). What matters holds on both: the upload is gone and cannot be completed.
    assertThat(api.aws.s3Client().listMultipartUploads(b -> b.bucket(api.aws.bucket())
        .prefix("uploads/" + owner + "/")).uploads()).isEmpty();
    assertThat(api.abort(owner, videoId).status()).isEqualTo(204);
    ApiFixture.Reply complete = api.complete(owner, videoId, "{\"parts\":[{\"partNumber\":1,\"etag\":\"x\"},"
        + "{\"partNumber\":2,\"etag\":\"y\"}]}");
    assertThat(complete.status()).isEqualTo(409);
    assertThat(complete.error()).isEqualTo("UPLOAD_ABORTED");
  }

  @Test
  void refusesToAbortASinglePutThatAlreadyArrived() {
    String owner = ApiFixture.newOwner();
    ApiFixture.Reply r = api.createUpload(owner, "a.mp4", "video/mp4", 10);
    ApiFixture.send(r.body().path("upload"), new byte[10]);

    ApiFixture.Reply aborted = api.abort(owner, r.body().path("videoId").asString());

    assertThat(aborted.status()).isEqualTo(409);
    assertThat(api.catalog.get(r.body().path("videoId").asString()).orElseThrow().status())
        .isEqualTo(VideoStatus.AWAITING_UPLOAD);
  }

  @Test
  void givesCaptionFilesTheirOwnSignedPutsBesideTheSource() {
    String owner = ApiFixture.newOwner();
    byte[] vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ApiFixture.Reply r = api.createUpload(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":10,\"captions\":[{\"lang\":\"pt-br\",\"fileName\":\"legendas.VTT\",\"sizeBytes\":"
        + vtt.length + "},{\"lang\":\"en\",\"fileName\":\"subs.srt\",\"sizeBytes\":5}]}");
    assertThat(r.status()).isEqualTo(201);
    JsonNode captions = r.body().path("captions");
    assertThat(captions).hasSize(2);
    assertThat(captions.get(0).path("lang").asString()).isEqualTo("pt-BR");
    assertThat(ApiFixture.headers(captions.get(0).path("upload"))).containsEntry("content-type", "text/vtt");

    assertThat(ApiFixture.send(captions.get(0).path("upload"), vtt).statusCode()).isEqualTo(200);

    String videoId = r.body().path("videoId").asString();
    assertThat(api.aws.s3Client().headObject(b -> b.bucket(api.aws.bucket())
        .key("uploads/" + owner + "/" + videoId + "/captions/pt-BR.vtt")).contentLength()).isEqualTo(vtt.length);
    assertThat(api.catalog.uploadState(videoId).orElseThrow().session().captions())
        .extracting(c -> c.key()).containsExactly("uploads/" + owner + "/" + videoId + "/captions/pt-BR.vtt",
            "uploads/" + owner + "/" + videoId + "/captions/en.srt");
  }
}
