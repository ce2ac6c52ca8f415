package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.events.SourceKey;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/** Creators read their own videos and nobody else's: another creator's video is exactly a missing one. */
@ExtendWith(LocalAwsExtension.class)
class VideosReadTest {

  private static ApiFixture api;

  @BeforeAll
  static void setUp(LocalAws aws) {
    api = ApiFixture.start(aws);
  }

  private static String upload(String owner) {
    return api.createUpload(owner, "a.mp4", "video/mp4", 10).body().path("videoId").asString();
  }

  @Test
  void keepsEveryRouteToItsOwner() {
    String alice = ApiFixture.newOwner();
    String bob = ApiFixture.newOwner();
    String multipart = api.createUpload(alice, "a.mp4", "video/mp4", 9L * 1024 * 1024).body().path("videoId")
        .asString();

    ApiFixture.Reply get = api.get(bob, multipart);
    ApiFixture.Reply missing = api.get(bob, "AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.error()).isEqualTo("NOT_FOUND");
    assertThat(get.body().path("message").asString()).isEqualTo(missing.body().path("message").asString()
        .replace("AAAAAAAAAAAAAAAAAAAAAA", multipart));
    assertThat(api.complete(bob, multipart, "{\"parts\":[{\"partNumber\":1,\"etag\":\"e\"},"
        + "{\"partNumber\":2,\"etag\":\"e\"}]}").status()).isEqualTo(404);
    assertThat(api.abort(bob, multipart).status()).isEqualTo(404);
    assertThat(api.list(bob, null).body().path("videos")).isEmpty();
    assertThat(api.get(alice, multipart).status()).isEqualTo(200);
    assertThat(api.catalog.get(multipart).orElseThrow().status().name()).isEqualTo("AWAITING_UPLOAD");
  }

  @Test
  void showsAnAwaitingVideoWithoutMedia() {
    String owner = ApiFixture.newOwner();
    String videoId = upload(owner);

    JsonNode v = api.get(owner, videoId).body();

    assertThat(v.path("status").asString()).isEqualTo("AWAITING_UPLOAD");
    assertThat(v.path("fileName").asString()).isEqualTo("a.mp4");
    assertThat(v.path("sizeBytes").asLong()).isEqualTo(10);
    assertThat(v.has("media")).isFalse();
  }

  @Test
  void givesAReadyVideoPresignedUrlsThatWork() {
    String owner = ApiFixture.newOwner();
    String videoId = upload(owner);
    String exec = Uploads.executionArn();
    api.catalog.claim(videoId, owner, new ObjectIdentity(SourceKey.of(owner, videoId), "e", "s", 10), exec);
    api.catalog.accept(videoId, exec, "MP4", 10);
    String playlist = "media/" + videoId + "/index.m3u8";
    api.aws.s3Client().putObject(b -> b.bucket(api.aws.bucket()).key(playlist), RequestBody.fromString("#EXTM3U\n"));
    api.catalog.markReady(videoId, exec, Map.of("bucket", api.aws.bucket(), "playlistKey", playlist),
        List.of(Map.of("lang", "en", "label", "English", "key", "media/" + videoId + "/en.vtt")));

    JsonNode v = api.get(owner, videoId).body();

    assertThat(v.path("status").asString()).isEqualTo("READY");
    JsonNode media = v.path("media");
    assertThat(media.path("expiresAt").asString()).isNotBlank();
    assertThat(media.path("captions").get(0).path("lang").asString()).isEqualTo("en");
    HttpResponse<byte[]> got = ApiFixture.send("GET", media.path("playlistUrl").asString(), Map.of(), null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(new String(got.body())).isEqualTo("#EXTM3U\n");
  }

  @Test
  void showsTheAutomaticCaptionsStatusAndListsAnAttachedTrackBesideTheSidecars() {
    String owner = ApiFixture.newOwner();
    String videoId = upload(owner);
    String exec = Uploads.executionArn();
    api.catalog.claim(videoId, owner, new ObjectIdentity(SourceKey.of(owner, videoId), "e", "s", 10), exec);
    api.catalog.accept(videoId, exec, "MP4", 10);
    assertThat(api.get(owner, videoId).body().has("automaticCaptions")).as("before attachCaptions ran").isFalse();
    api.catalog.markReady(videoId, exec, Map.of("bucket", api.aws.bucket()),
        List.of(Map.of("lang", "en", "label", "English", "key", "media/" + videoId + "/captions/en.vtt")));
    api.catalog.recordAutomaticCaptions(videoId, Map.of("status", "ATTACHED", "reason", "Amazon Transcribe job j (fr)",
        "track", Map.of("lang", "fr", "label", "Français (automatic)", "key", "media/" + videoId + "/captions/fr.vtt")));

    JsonNode v = api.get(owner, videoId).body();

    assertThat(v.path("automaticCaptions").path("status").asString()).isEqualTo("ATTACHED");
    assertThat(v.path("automaticCaptions").path("reason").asString()).isEqualTo("Amazon Transcribe job j (fr)");
    assertThat(v.path("media").path("captions").findValuesAsString("lang")).containsExactly("en", "fr");
    assertThat(v.path("media").path("captions").get(1).path("url").asString()).contains("captions/fr.vtt");
  }

  @Test
  void aSidecarOfTheSameLanguageWinsOverTheAutomaticTrack() {
    String owner = ApiFixture.newOwner();
    String videoId = upload(owner);
    String exec = Uploads.executionArn();
    api.catalog.claim(videoId, owner, new ObjectIdentity(SourceKey.of(owner, videoId), "e", "s", 10), exec);
    api.catalog.accept(videoId, exec, "MP4", 10);
    api.catalog.markReady(videoId, exec, Map.of("bucket", api.aws.bucket()),
        List.of(Map.of("lang", "en", "label", "English", "key", "media/" + videoId + "/captions/en.vtt")));
    api.catalog.recordAutomaticCaptions(videoId, Map.of("status", "UNAVAILABLE", "reason", "off here",
        "track", Map.of("lang", "en", "label", "English (automatic)", "key", "media/" + videoId + "/auto/en.vtt")));

    JsonNode v = api.get(owner, videoId).body();

    assertThat(v.path("automaticCaptions").path("status").asString()).isEqualTo("UNAVAILABLE");
    assertThat(v.path("media").path("captions")).hasSize(1);
    assertThat(v.path("media").path("captions").get(0).path("label").asString()).isEqualTo("English");
  }

  @Test
  void showsARejectionsReason() {
    String owner = ApiFixture.newOwner();
    String videoId = upload(owner);
    String exec = Uploads.executionArn();
    api.catalog.claim(videoId, owner, new ObjectIdentity(SourceKey.of(owner, videoId), "e", "s", 10), exec);
    api.catalog.reject(videoId, exec, "NOT_A_VIDEO", "this is a PNG image");

    JsonNode v = api.get(owner, videoId).body();

    assertThat(v.path("rejection").path("reason").asString()).isEqualTo("NOT_A_VIDEO");
    assertThat(v.path("rejection").path("detail").asString()).isEqualTo("this is a PNG image");
  }

  @Test
  void listsTheCallersVideosNewestFirstPageByPage() {
    String owner = ApiFixture.newOwner();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(upload(owner));
    }
    upload(ApiFixture.newOwner());

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> query = cursor == null ? Map.of("limit", "2") : Map.of("limit", "2", "cursor", cursor);
      ApiFixture.Reply page = api.list(owner, query);
      assertThat(page.status()).isEqualTo(200);
      page.body().path("videos").forEach(v -> seen.add(v.path("videoId").asString()));
      cursor = page.body().path("nextCursor").asString(null);
      pages++;
    } while (cursor != null && pages < 10);

    java.util.Collections.reverse(created);
    assertThat(seen).containsExactlyElementsOf(created);
  }

  @Test
  void refusesBadLimitsAndForeignCursors() {
    String owner = ApiFixture.newOwner();
    for (String limit : new String[] {"0", "101", "-1", "ten", "1.5"}) {
      ApiFixture.Reply r = api.list(owner, Map.of("limit", limit));
      assertThat(r.status()).as(limit).isEqualTo(400);
      assertThat(r.field()).as(limit).isEqualTo("limit");
    }
    for (String cursor : new String[] {"not base64!", "aGVsbG8", java.util.Base64.getUrlEncoder()
        .encodeToString("2026-01-01T00:00:00Z|../x".getBytes())}) {
      ApiFixture.Reply r = api.list(owner, Map.of("cursor", cursor));
      assertThat(r.status()).as(cursor).isEqualTo(400);
      assertThat(r.error()).as(cursor).isEqualTo("INVALID_CURSOR");
      assertThat(r.field()).isEqualTo("cursor");
    }
  }
}
