package videopipe.functions.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * The catalog's status machine against dynalite: every transition is a conditional write, so the
 * tests check what DynamoDB refuses, not what the code meant to send.
 */
@ExtendWith(LocalAwsExtension.class)
class CatalogTest {

  private static Catalog catalog;

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
  }

  private static String newVideo(String owner) {
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, owner, "a.mp4", "video/mp4", 100));
    return id;
  }

  private static ObjectIdentity object(String id, String etag) {
    return new ObjectIdentity("uploads/o/" + id + "/source", etag, "SEQ-" + etag, 100);
  }

  @Test
  void createsAnAwaitingItemAndRefusesToOverwriteIt() {
    String id = newVideo("alice");
    VideoItem item = catalog.get(id).orElseThrow();
    assertThat(item.status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
    assertThat(item.ownerId()).isEqualTo("alice");
    assertThat(item.createdAt()).isNotNull();
    assertThatThrownBy(() -> catalog.create(new NewVideo(id, "mallory", "b.mp4", "video/mp4", 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(catalog.get(id).orElseThrow().ownerId()).isEqualTo("alice");
  }

  @Test
  void grantsAClaimToExactlyOneOfManyConcurrentExecutions() throws Exception {
    String id = newVideo("alice");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<ClaimResult>> claims = java.util.stream.IntStream.range(0, 8)
          .mapToObj(i -> (Callable<ClaimResult>) () -> catalog.claim(id, "alice", object(id, "e1"), "exec-" + i))
          .toList();
      long granted = 0;
      for (Future<ClaimResult> f : pool.invokeAll(claims)) {
        if (f.get() instanceof ClaimResult.Claimed c) {
          assertThat(c.reentered()).isFalse();
          granted++;
        } else {
          assertThat(f.get()).isInstanceOf(ClaimResult.Duplicate.class);
        }
      }
      assertThat(granted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void givesTheClaimBackToTheSameExecution() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    assertThat(catalog.claim(id, "alice", object(id, "e1"), "exec-1"))
        .isInstanceOfSatisfying(ClaimResult.Claimed.class, c -> assertThat(c.reentered()).isTrue());
  }

  @Test
  void treatsAnotherWriteToTheSameKeyAsADuplicate() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    assertThat(catalog.claim(id, "alice", object(id, "e2"), "exec-1")).isInstanceOf(ClaimResult.Duplicate.class);
  }

  @Test
  void reportsUnknownVideosAndForeignOwners() {
    assertThat(catalog.claim("nope-000", "alice", object("x", "e"), "exec")).isInstanceOf(ClaimResult.Unknown.class);
    String id = newVideo("alice");
    assertThat(catalog.claim(id, "mallory", object(id, "e"), "exec")).isInstanceOf(ClaimResult.OwnerMismatch.class);
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.AWAITING_UPLOAD);
  }

  @Test
  void walksTheHappyPath() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    assertThat(catalog.accept(id, "exec-1", "MP4", 100).status()).isEqualTo(VideoStatus.PROCESSING);
    assertThat(catalog.recordMetadata(id, "exec-1", Map.of("width", 160, "codec", "h264")).metadata())
        .containsEntry("width", 160L).containsEntry("codec", "h264");
    VideoItem ready = catalog.markReady(id, "exec-1", Map.of("playlistKey", "media/x/index.m3u8"), List.of());
    assertThat(ready.status()).isEqualTo(VideoStatus.READY);
    assertThat(ready.outputs()).containsEntry("playlistKey", "media/x/index.m3u8");
    assertThat(catalog.markReady(id, "exec-1", Map.of("playlistKey", "media/x/index.m3u8"), List.of()).status())
        .isEqualTo(VideoStatus.READY);
  }

  @Test
  void neverMovesAFinalVideoBackwards() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    catalog.accept(id, "exec-1", "MP4", 100);
    catalog.markReady(id, "exec-1", Map.of("playlistKey", "p"), List.of());
    assertThatThrownBy(() -> catalog.accept(id, "exec-1", "MP4", 100))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("it is READY");
    assertThatThrownBy(() -> catalog.reject(id, "exec-1", "CORRUPT", "x")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.markFailed(id, "exec-1", "Boom", "cause")).isEmpty();
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.READY);
  }

  @Test
  void refusesTransitionsByAnotherExecution() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    assertThatThrownBy(() -> catalog.accept(id, "exec-2", "MP4", 100))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("claimed by exec-1");
    assertThat(catalog.markFailed(id, "exec-2", "Boom", "x")).isEmpty();
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.VALIDATING);
  }

  @Test
  void goesFromFailedBackToProcessingAndOnToReadyOnRedrive() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    catalog.accept(id, "exec-1", "MP4", 100);
    VideoItem failed = catalog.markFailed(id, "exec-1", "States.TaskFailed", "the transcode timed out").orElseThrow();
    assertThat(failed.status()).isEqualTo(VideoStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.TaskFailed");
    assertThat(failed.executionArn()).isEqualTo("exec-1");
    assertThat(catalog.recordMetadata(id, "exec-1", Map.of("width", 1)).status()).isEqualTo(VideoStatus.PROCESSING);
    VideoItem ready = catalog.markReady(id, "exec-1", Map.of("playlistKey", "p"), List.of());
    assertThat(ready.status()).isEqualTo(VideoStatus.READY);
    assertThat(ready.error()).isNull();
    assertThat(ready.cause()).isNull();
  }

  @Test
  void letsTheRedriveClaimAVideoWhoseExecutionFailedBeforeClaiming() {
    String id = newVideo("alice");
    assertThat(catalog.markFailed(id, "exec-9", "Lambda.ServiceException", "x")).isPresent();
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.FAILED);
    assertThat(catalog.claim(id, "alice", object(id, "e1"), "exec-9")).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(catalog.get(id).orElseThrow().status()).isEqualTo(VideoStatus.VALIDATING);
  }

  @Test
  void keepsOtherFieldsWhenOneStepUpdates() {
    String id = newVideo("alice");
    catalog.claim(id, "alice", object(id, "e1"), "exec-1");
    catalog.accept(id, "exec-1", "MKV", 100);
    catalog.recordMetadata(id, "exec-1", Map.of("width", 10));
    VideoItem item = catalog.get(id).orElseThrow();
    assertThat(item.container()).isEqualTo("MKV");
    assertThat(item.fileName()).isEqualTo("a.mp4");
    assertThat(item.sourceEtag()).isEqualTo("e1");
  }
}
