package videopipe.functions.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.VideoEvents;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/** publishVideo against dynalite and the local EventBridge: READY, then 'Video Ready', at least once. */
@ExtendWith(LocalAwsExtension.class)
class PublishVideoTest {

  private static final MediaOutputs OUTPUTS = new MediaOutputs("media-bucket", "media/v/index.m3u8",
      "media/v/download.mp4", "media/v/poster.jpg",
      List.of(new Rendition("360p", 640, 360, 800_000, "media/v/360p/index.m3u8")));

  private static Catalog catalog;
  private static PublishVideo publish;
  private static final BlockingQueue<String> ready = new LinkedBlockingQueue<>();

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    String bus = aws.tableName() + "-bus";
    aws.eventBridge().createBus(bus);
    aws.eventBridge().subscribe(bus, "{\"source\":[\"videopipe\"],\"detail-type\":[\"Video Ready\"]}", ready::add);
    // Built from the default chain, as in a Lambda: the extension points aws.endpointUrlEventBridge here.
    publish = new PublishVideo(catalog, new VideoEvents(EventBridgeClient.create(), bus));
  }

  private static String processing(String execution) {
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("k", "e", "s", 100), execution);
    catalog.accept(id, execution, "MP4", 100);
    return id;
  }

  @Test
  void marksReadyAndAnnouncesIt() throws Exception {
    String execution = Uploads.executionArn();
    String id = processing(execution);
    Published p = publish.apply(new PublishRequest(id, execution, OUTPUTS,
        List.of(new CaptionTrack("en", "English", "media/v/captions/en.vtt"))));
    assertThat(p).isEqualTo(new Published(id, "READY"));
    VideoItem item = catalog.get(id).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.READY);
    assertThat(item.outputs()).containsEntry("playlistKey", "media/v/index.m3u8");
    assertThat(item.captions()).hasSize(1);
    String event = awaitEventFor(id);
    assertThat(event).contains("\"status\":\"READY\"", "\"ownerId\":\"alice\"", "media/v/index.m3u8");
  }

  @Test
  void publishingTwiceKeepsReadyAndAnnouncesAgain() throws Exception {
    String execution = Uploads.executionArn();
    String id = processing(execution);
    PublishRequest request = new PublishRequest(id, execution, OUTPUTS, null);
    publish.apply(request);
    awaitEventFor(id);
    assertThat(publish.apply(request)).isEqualTo(new Published(id, "READY"));
    awaitEventFor(id);
  }

  @Test
  void refusesToPublishARejectedVideo() {
    String execution = Uploads.executionArn();
    String id = processing(execution);
    catalog.reject(id, execution, "CORRUPT", "bad");
    assertThatThrownBy(() -> publish.apply(new PublishRequest(id, execution, OUTPUTS, List.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("REJECTED");
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.REJECTED);
  }

  @Test
  void refusesARequestWithoutAPlaylist() {
    assertThatThrownBy(() -> publish.apply(new PublishRequest("v1", "exec", null, List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputs.playlistKey");
  }

  private static String awaitEventFor(String videoId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String e = ready.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && e.contains(videoId)) {
        return e;
      }
    }
    throw new AssertionError("no 'Video Ready' event for " + videoId);
  }
}
