package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import videopipe.functions.captions.AttachCaptions;
import videopipe.functions.captions.AutomaticCaptions;
import videopipe.functions.captions.Captions;
import videopipe.functions.captions.CaptionsRequest;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.events.SourceKey;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * A caption's {@code sizeBytes} is optional. Declared, the caption's PUT binds that length, as a
 * video's does. Not declared, the URL binds no length (a client may not know it before encoding the
 * file), so the cap ({@code CAPTION_MAX_BYTES}) cannot be enforced by S3: {@code attachCaptions}
 * enforces it when it reads the sidecar, and a file over it rejects its language only.
 */
@ExtendWith(LocalAwsExtension.class)
class CaptionSizeTest {

  private static final int CAP = 64 * 1024;
  private static ApiFixture api;
  private static AttachCaptions attach;

  @BeforeAll
  static void setUp(LocalAws aws) {
    ApiFixture.start(aws);
    api = new ApiFixture(aws, Map.of("CAPTION_MAX_BYTES", Integer.toString(CAP)));
    attach = new AttachCaptions(api.catalog, aws.s3Client(), aws.bucket(), CAP, AutomaticCaptions.disabled());
  }

  private static byte[] vtt(int atLeast) {
    StringBuilder b = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; b.length() < atLeast; i++) {
      b.append(String.format("00:%02d:%02d.000 --> 00:%02d:%02d.500\nline %d\n\n", i / 60 % 60, i % 60, i / 60 % 60,
          i % 60, i));
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void signsNoLengthForACaptionDeclaredWithoutASizeButStillSignsItsType() {
    String owner = ApiFixture.newOwner();
    ApiFixture.Reply r = api.createUpload(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":10,\"captions\":[{\"lang\":\"en\",\"fileName\":\"subs.vtt\"}]}");

    assertThat(r.status()).isEqualTo(201);
    JsonNode upload = r.body().path("captions").get(0).path("upload");
    assertThat(ApiFixture.headers(upload)).containsEntry("content-type", "text/vtt")
        .containsEntry("if-none-match", "*").doesNotContainKey("content-length");
    Map<String, String> wrongType = new LinkedHashMap<>(ApiFixture.headers(upload));
    wrongType.put("content-type", "video/mp4");
    assertThat(ApiFixture.send("PUT", upload.path("url").asString(), wrongType, new byte[10]).statusCode())
        .isEqualTo(403);
    assertThat(ApiFixture.send(upload, vtt(100)).statusCode()).isEqualTo(200);
    assertThat(ApiFixture.send(upload, vtt(100)).statusCode()).as("single use").isEqualTo(412);
  }

  @Test
  void bindsTheLengthOfACaptionDeclaredWithASize() {
    String owner = ApiFixture.newOwner();
    byte[] file = vtt(1000);
    ApiFixture.Reply r = api.createUpload(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":10,\"captions\":[{\"lang\":\"en\",\"fileName\":\"subs.vtt\",\"sizeBytes\":" + file.length
        + "}]}");
    JsonNode upload = r.body().path("captions").get(0).path("upload");

    assertThat(ApiFixture.headers(upload)).containsEntry("content-length", Integer.toString(file.length));
    // Refused with a 403, or the connection closed while the body was on its way: either way
    // nothing was stored, which the single-use URL's next PUT (If-None-Match: *) proves.
    assertThat(ApiFixture.statusOrClosed("PUT", upload.path("url").asString(), ApiFixture.headers(upload),
        vtt(CAP * 2))).isIn(403, null);
    assertThat(ApiFixture.send(upload, file).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesADeclaredSizeOverTheStacksCap() {
    String owner = ApiFixture.newOwner();

    ApiFixture.Reply r = api.createUpload(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":10,\"captions\":[{\"lang\":\"en\",\"fileName\":\"subs.vtt\",\"sizeBytes\":" + (CAP + 1)
        + "}]}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("INVALID_FIELD");
    assertThat(r.field()).isEqualTo("captions[0].sizeBytes");
    api.assertNothingStoredFor(owner);
  }

  @Test
  void attachCaptionsRejectsAnOversizeSidecarUploadedWithoutADeclaredSize() {
    String owner = ApiFixture.newOwner();
    ApiFixture.Reply r = api.createUpload(owner, "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\","
        + "\"sizeBytes\":10,\"captions\":[{\"lang\":\"en\",\"fileName\":\"en.vtt\"},"
        + "{\"lang\":\"fr\",\"fileName\":\"fr.vtt\"}]}");
    String videoId = r.body().path("videoId").asString();
    byte[] small = vtt(200);
    byte[] oversize = vtt(CAP + 1);
    assertThat(ApiFixture.send(r.body().path("captions").get(0).path("upload"), small).statusCode()).isEqualTo(200);
    assertThat(ApiFixture.send(r.body().path("captions").get(1).path("upload"), oversize).statusCode())
        .as("no length is signed, so S3 takes it").isEqualTo(200);
    String exec = Uploads.executionArn();
    String key = SourceKey.of(owner, videoId);
    api.catalog.claim(videoId, owner, new ObjectIdentity(key, "e", "s", 10), exec);
    api.catalog.accept(videoId, exec, "MP4", 10);

    Captions c = attach.apply(new CaptionsRequest(videoId, owner, api.aws.bucket(), key, exec));

    assertThat(c.captions()).extracting(t -> t.lang()).containsExactly("en");
    assertThat(c.rejected()).singleElement().satisfies(rejected -> {
      assertThat(rejected.lang()).isEqualTo("fr");
      assertThat(rejected.reason()).contains("too large");
    });
    assertThat(api.aws.s3Client().listObjectsV2(b -> b.bucket(api.aws.bucket()).prefix("media/" + videoId + "/"))
        .contents()).extracting(o -> o.key()).containsExactly("media/" + videoId + "/captions/en.vtt");
  }
}
