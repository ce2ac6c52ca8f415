package videopipe.functions.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.publish.CaptionTrack;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * attachCaptions against S3Proxy and dynalite with hostile sidecars: each bad file rejects its own
 * language with a reason, the good ones are attached as WebVTT, and the step itself succeeds so
 * that the video still publishes.
 */
@ExtendWith(LocalAwsExtension.class)
class AttachCaptionsTest {

  private static final String GOOD_SRT = "1\r\n00:00:01,000 --> 00:00:02,000\r\nHola <script>alert(1)</script>\r\n";
  private static S3Client s3;
  private static String bucket;
  private static Catalog catalog;
  private static AttachCaptions attach;

  @BeforeAll
  static void setUp(LocalAws aws) {
    s3 = aws.s3Client();
    bucket = aws.bucket();
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    attach = new AttachCaptions(catalog, s3, bucket, 64 * 1024, AutomaticCaptions.disabled());
  }

  private static String[] processing() {
    String exec = Uploads.executionArn();
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("uploads/alice/" + id + "/source", "e", "s", 100), exec);
    catalog.accept(id, exec, "MP4", 100);
    return new String[] {id, exec};
  }

  private static void sidecar(String videoId, String name, byte[] bytes) {
    s3.putObject(b -> b.bucket(bucket).key("uploads/alice/" + videoId + "/captions/" + name), RequestBody.fromBytes(bytes));
  }

  private static void sidecar(String videoId, String name, String text) {
    sidecar(videoId, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  @Test
  void attachesEachGoodSidecarAsWebVttAndRejectsEachBadOneWithAReason() {
    String[] v = processing();
    String id = v[0];
    sidecar(id, "en.vtt", "\uFEFFWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n");
    sidecar(id, "es.srt", GOOD_SRT);
    sidecar(id, "fr.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nà l'envers\n");
    sidecar(id, "de.srt", "1\n00:00:05,000 --> 00:00:06,000\nB\n\n2\n00:00:01,000 --> 00:00:02,000\nA\n");
    byte[] junk = new byte[2048];
    new Random(42).nextBytes(junk);
    sidecar(id, "it.srt", junk);
    sidecar(id, "ja.vtt", "WEBVTT\n\n" + "00:00:01.000 --> 00:00:02.000\n" + "x".repeat(70 * 1024) + "\n");
    sidecar(id, "readme.txt", "not a caption");
    sidecar(id, "english.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n");

    Captions c = attach.apply(new CaptionsRequest(id, "alice", bucket, "uploads/alice/" + id + "/source", v[1]));

    assertThat(c.captions()).containsExactly(
        new CaptionTrack("en", "English", "media/" + id + "/captions/en.vtt"),
        new CaptionTrack("es", "Español", "media/" + id + "/captions/es.vtt"));
    assertThat(read("media/" + id + "/captions/es.vtt"))
        .isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHola \n".replace("Hola \n", "Hola\n"));
    assertThat(read("media/" + id + "/captions/en.vtt")).startsWith("WEBVTT\n\n").doesNotContain("\uFEFF");
    assertThat(c.rejected()).extracting(Captions.Rejected::file, Captions.Rejected::lang).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("fr.vtt", "fr"),
        org.assertj.core.groups.Tuple.tuple("de.srt", "de"),
        org.assertj.core.groups.Tuple.tuple("it.srt", "it"),
        org.assertj.core.groups.Tuple.tuple("ja.vtt", "ja"),
        org.assertj.core.groups.Tuple.tuple("readme.txt", null),
        org.assertj.core.groups.Tuple.tuple("english.vtt", null));
    assertThat(c.rejected()).filteredOn(r -> "fr".equals(r.lang())).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("before it starts"));
    assertThat(c.rejected()).filteredOn(r -> "ja".equals(r.lang())).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("too large"));
    assertThat(c.automatic()).isEqualTo(AutomaticCaptions.unavailable());

    VideoItem item = catalog.get(id).orElseThrow();
    assertThat(item.captions()).hasSize(2);
  }

  @Test
  void theCatalogShowsAutomaticCaptionsUnavailableWithTheReasonWhereTranscribeIsOff() {
    String[] v = processing();
    attach.apply(new CaptionsRequest(v[0], "alice", bucket, "uploads/alice/" + v[0] + "/source", v[1]));
    assertThat(catalog.automaticCaptions(v[0]).orElseThrow())
        .containsEntry("status", "UNAVAILABLE")
        .containsEntry("reason", "automatic captions are off for this stack (TRANSCRIBE_CAPTIONS is not true; "
            + "the local stack has no Amazon Transcribe)")
        .doesNotContainKey("track");
  }

  @Test
  void aVideoWithoutSidecarsGetsNoTracks() {
    String[] v = processing();
    Captions c = attach.apply(new CaptionsRequest(v[0], "alice", bucket, "uploads/alice/" + v[0] + "/source", v[1]));
    assertThat(c.captions()).isEmpty();
    assertThat(c.rejected()).isEmpty();
  }

  @Test
  void keepsTheVttWhenALanguageComesInBothFormats() {
    String[] v = processing();
    sidecar(v[0], "pt-BR.srt", GOOD_SRT);
    sidecar(v[0], "pt-BR.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOlá\n");
    Captions c = attach.apply(new CaptionsRequest(v[0], "alice", bucket, "uploads/alice/" + v[0] + "/source", v[1]));
    assertThat(c.captions()).singleElement().satisfies(t -> {
      assertThat(t.lang()).isEqualTo("pt-BR");
      assertThat(t.label()).isEqualTo("Português (Brasil)");
    });
    assertThat(read(c.captions().get(0).key())).contains("Olá");
    assertThat(c.rejected()).singleElement().satisfies(r -> assertThat(r.file()).isEqualTo("pt-BR.srt"));
  }

  @Test
  void runningTwiceAttachesTheSameTracks() {
    String[] v = processing();
    sidecar(v[0], "en.srt", GOOD_SRT);
    Captions first = attach.apply(new CaptionsRequest(v[0], "alice", bucket, "uploads/alice/" + v[0] + "/source", v[1]));
    assertThat(attach.apply(new CaptionsRequest(v[0], "alice", bucket, "uploads/alice/" + v[0] + "/source", v[1]))).isEqualTo(first);
  }

  @Test
  void refusesAnotherExecutionsVideo() {
    String[] v = processing();
    assertThatThrownBy(() -> attach.apply(new CaptionsRequest(v[0], "alice", bucket, "k", Uploads.executionArn())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("claimed by " + v[1]);
  }
}
