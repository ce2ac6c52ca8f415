package videopipe.functions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.events.SourceKey;

/**
 * Uploads as the pipeline sees them: a catalog item created the way createUpload creates it, the
 * bytes PUT to S3, and the {@code Object Created} event S3 would emit for that write, with the
 * object's real etag and size, and the key URL-encoded the way S3 encodes it.
 */
public final class Uploads {

  private static final AtomicLong SEQUENCER = new AtomicLong(0x0064D3901D00059242L);

  private final S3Client s3;
  private final Catalog catalog;
  private final String bucket;

  public Uploads(S3Client s3, Catalog catalog, String bucket) {
    this.s3 = s3;
    this.catalog = catalog;
    this.bucket = bucket;
  }

  /** A new video id, as createUpload makes them. */
  public static String newVideoId() {
    return "v" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  /** Creates the catalog item, uploads the bytes, and returns S3's event for the write. */
  public EventBridgeEvent<ObjectCreated> upload(String ownerId, byte[] bytes) {
    String videoId = newVideoId();
    catalog.create(new NewVideo(videoId, ownerId, "clip.mp4", "video/mp4", bytes.length));
    return put(SourceKey.of(ownerId, videoId), bytes);
  }

  /** As {@link #upload(String, byte[])}, streaming a file: big sources need not fit in memory. */
  public EventBridgeEvent<ObjectCreated> upload(String ownerId, Path file) {
    String videoId = newVideoId();
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catalog.create(new NewVideo(videoId, ownerId, file.getFileName().toString(), "video/mp4", size));
    String rawKey = SourceKey.of(ownerId, videoId);
    PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(rawKey), RequestBody.fromFile(file));
    return event(bucket, rawKey, size, r.eTag());
  }

  /** PUTs bytes at a raw key and returns the event S3 would emit for it. */
  public EventBridgeEvent<ObjectCreated> put(String rawKey, byte[] bytes) {
    PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(rawKey), RequestBody.fromBytes(bytes));
    return event(bucket, rawKey, bytes.length, r.eTag());
  }

  /** The event for a write, with S3's encoding of the key. */
  public static EventBridgeEvent<ObjectCreated> event(String bucket, String rawKey, long size, String quotedEtag) {
    String etag = quotedEtag == null ? UUID.randomUUID().toString().replace("-", "") : quotedEtag.replace("\"", "");
    String sequencer = Long.toHexString(SEQUENCER.incrementAndGet()).toUpperCase();
    return new EventBridgeEvent<>("0", UUID.randomUUID().toString(), ObjectCreated.DETAIL_TYPE,
        ObjectCreated.SOURCE, "000000000000", "2026-11-24T12:00:00Z", "us-east-1",
        List.of("arn:aws:s3:::" + bucket),
        new ObjectCreated("0", new ObjectCreated.Bucket(bucket),
            new ObjectCreated.S3Object(encode(rawKey), size, etag, null, sequencer),
            "REQ" + sequencer, "000000000000", "127.0.0.1", "PutObject"));
  }

  /** S3's encoding of keys in its events: form encoding, with the slashes left alone. */
  public static String encode(String rawKey) {
    return URLEncoder.encode(rawKey, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  public static String executionArn() {
    return "arn:aws:states:us-east-1:000000000000:execution:video-ingest:" + UUID.randomUUID();
  }
}
