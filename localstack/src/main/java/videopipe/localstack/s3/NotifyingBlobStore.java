package videopipe.localstack.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.Loopback;

/**
 * S3Proxy's store, emitting what S3 sends EventBridge for each write that succeeded: {@code Object
 * Created} for PutObject, CompleteMultipartUpload and CopyObject, {@code Object Deleted} for
 * DeleteObject; only for buckets whose EventBridge notifications are on. A write that fails (a
 * refused {@code If-None-Match: *}, a bad chunk signature, a store error) throws out of the
 * delegate before anything is emitted; requests refused earlier (bad signature, expired presigned
 * URL) never reach the store; UploadPart and AbortMultipartUpload emit nothing, as on S3. Which
 * write a request is comes from {@link S3Request}, set by {@link NotificationConfigurationFilter}.
 *
 * <p>Events leave on one background thread, in the order of the writes, so that a slow or failing
 * sink never slows or fails the S3 request; a sink's failure is logged.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

  private static final Logger log = LoggerFactory.getLogger(NotifyingBlobStore.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** S3's {@code deletion-type} for a DeleteObject in an unversioned bucket. */
  private static final String PERMANENTLY_DELETED = "Permanently Deleted";

  private final EventBridgeBuckets buckets;
  private final Sequencer sequencer = new Sequencer();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor(Loopback.daemons("s3-events"));
  private volatile Consumer<S3Event> sink;
  private volatile String requester = S3Emulator.ACCOUNT;

  NotifyingBlobStore(BlobStore delegate, EventBridgeBuckets buckets) {
    super(delegate);
    this.buckets = buckets;
  }

  /** Where events go from now on, and the account named as their {@code requester}. */
  void sendTo(Consumer<S3Event> sink, String requester) {
    this.requester = requester;
    this.sink = sink;
  }

  EventBridgeBuckets buckets() {
    return buckets;
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    CountingInputStream counted = new CountingInputStream(input);
    PutObjectResponse response = super.putBlob(request, counted);
    if (notifying(S3Request.Operation.PUT_OBJECT, request.bucket(), request.key())) {
      created(request.bucket(), request.key(), counted.count, response.eTag(), response.versionId(), "PutObject");
    }
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
      CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
    String bucket = upload.containerName();
    if (notifying(S3Request.Operation.COMPLETE_MULTIPART_UPLOAD, bucket, upload.blobName())) {
      // The response has the multipart etag but not the size: the object's metadata has both.
      HeadObjectResponse head = delegate().blobMetadata(bucket, upload.blobName());
      created(bucket, upload.blobName(), head.contentLength(), response.eTag(), response.versionId(),
          "CompleteMultipartUpload");
    }
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    CopyObjectResponse response = super.copyBlob(request);
    String bucket = request.destinationBucket();
    if (notifying(S3Request.Operation.COPY_OBJECT, bucket, request.destinationKey())) {
      HeadObjectResponse head = delegate().blobMetadata(bucket, request.destinationKey());
      String etag = response.copyObjectResult() != null && response.copyObjectResult().eTag() != null
          ? response.copyObjectResult().eTag() : head.eTag();
      created(bucket, request.destinationKey(), head.contentLength(), etag, response.versionId(), "CopyObject");
    }
    return response;
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    DeleteObjectResponse response = super.removeBlob(request);
    if (notifying(S3Request.Operation.DELETE_OBJECT, request.bucket(), request.key())) {
      ObjectNode detail = detail(request.bucket());
      ObjectNode object = detail.putObject("object");
      object.put("key", encodeKey(request.key()));
      if (response.versionId() != null) {
        object.put("version-id", response.versionId());
      }
      object.put("sequencer", sequencer.next());
      request(detail, "DeleteObject");
      detail.put("deletion-type", PERMANENTLY_DELETED);
      emit(new S3Event(S3Event.OBJECT_DELETED, request.bucket(), detail.toString()));
    }
    return response;
  }

  /** The on-disk store lists every entry of its folder: the settings file is not a bucket. */
  @Override
  public ListBucketsResponse list() {
    return withoutSettingsFile(super.list());
  }

  @Override
  public ListBucketsResponse list(ListBucketsRequest request) {
    return withoutSettingsFile(delegate().list(request));
  }

  private static ListBucketsResponse withoutSettingsFile(ListBucketsResponse response) {
    if (response.buckets().stream().noneMatch(b -> EventBridgeBuckets.FILE_NAME.equals(b.name()))) {
      return response;
    }
    return response.toBuilder().buckets(response.buckets().stream()
        .filter(b -> !EventBridgeBuckets.FILE_NAME.equals(b.name())).toList()).build();
  }

  @Override
  public void deleteBucket(String bucket) {
    super.deleteBucket(bucket);
    buckets.set(bucket, false); // a bucket created again under that name starts with notifications off
  }

  /**
   * Whether this write gets an event: the bucket's notifications are on, and it is the write the
   * current request asked for (not one of S3Proxy's own, such as its multipart stubs).
   */
  private boolean notifying(S3Request.Operation operation, String bucket, String key) {
    S3Request current = S3Request.current();
    return sink != null && buckets.enabled(bucket) && current != null && current.is(operation, bucket, key);
  }

  private void created(String bucket, String key, long size, String etag, String versionId, String reason) {
    ObjectNode detail = detail(bucket);
    ObjectNode object = detail.putObject("object");
    object.put("key", encodeKey(key));
    object.put("size", size);
    object.put("etag", unquote(etag));
    if (versionId != null) {
      object.put("version-id", versionId);
    }
    object.put("sequencer", sequencer.next());
    request(detail, reason);
    emit(new S3Event(S3Event.OBJECT_CREATED, bucket, detail.toString()));
  }

  private static ObjectNode detail(String bucket) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("version", "0");
    detail.putObject("bucket").put("name", bucket);
    return detail;
  }

  private void request(ObjectNode detail, String reason) {
    S3Request current = S3Request.current();
    String requestId = current.requestId();
    detail.put("request-id", requestId != null ? requestId
        : UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
    detail.put("requester", requester);
    detail.put("source-ip-address", current.sourceIp());
    detail.put("reason", reason);
  }

  private void emit(S3Event event) {
    Consumer<S3Event> target = sink;
    try {
      delivery.execute(() -> {
        try {
          target.accept(event);
        } catch (RuntimeException e) {
          log.warn("could not deliver S3's {} event for bucket {}: {}", event.detailType(), event.bucket(), e.toString());
        }
      });
    } catch (RejectedExecutionException closing) {
      log.warn("S3 is closing: {} event for bucket {} dropped", event.detailType(), event.bucket());
    }
  }

  /**
   * The key as S3 writes it into event notifications: URL-encoded as a form value (a space as
   * {@code +}, a {@code +} as {@code %2B}, UTF-8 bytes as {@code %XX}), the {@code /} separators
   * left as they are, so that {@code URLDecoder.decode} gives the key back and prefix patterns
   * such as {@code uploads/*} match.
   */
  static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  private static String unquote(String etag) {
    return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1) : etag;
  }

  @Override
  public void close() {
    delivery.shutdown();
    try {
      delivery.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
  }

  /**
   * S3's {@code sequencer}: hex of a fixed width, so that of two events for one key the later
   * write's is greater as a string, which is how S3 says to compare them. Time-based (and never
   * repeating within the JVM), so that it keeps growing across restarts of an on-disk store.
   */
  static final class Sequencer {
    private final AtomicLong last = new AtomicLong();

    String next() {
      long now = System.currentTimeMillis() << 20;
      return String.format("%018X", last.accumulateAndGet(now, (prev, t) -> Math.max(prev + 1, t)));
    }
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
