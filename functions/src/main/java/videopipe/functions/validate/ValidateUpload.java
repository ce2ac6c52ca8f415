package videopipe.functions.validate;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.ClaimResult;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.events.SourceKey;
import videopipe.functions.metadata.Container;
import videopipe.functions.storage.ByteSource;
import videopipe.functions.storage.ObjectHead;
import videopipe.functions.storage.SourceStore;

/**
 * {@code validateUpload}: the first state of {@code video-ingest}. Claims the catalog item for this
 * execution, then looks at the object with one HEAD and one ranged GET of its first bytes, and
 * either accepts it (with its container) or rejects it with a reason the creator can act on.
 * Rejections and duplicates are results, not errors, so the execution succeeds; S3 or DynamoDB
 * trouble throws, so the state fails and is retried or redriven.
 */
public final class ValidateUpload implements Function<ValidateRequest, Validation> {

  /**
   * Enough for the magic numbers Tika checks and for our containers' own headers (ftyp, the EBML
   * header, five TS packets), and small, since the probe reads its own head afterwards.
   */
  public static final int HEAD_BYTES = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ValidateUpload.class);

  private final Catalog catalog;
  private final SourceStore store;
  private final ContainerDetector detector;
  private final long maxBytes;
  private final Set<Container> allowed;

  public ValidateUpload(Catalog catalog, SourceStore store, ContainerDetector detector, long maxBytes,
      Set<Container> allowed) {
    this.catalog = catalog;
    this.store = store;
    this.detector = detector;
    this.maxBytes = maxBytes;
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public Validation apply(ValidateRequest request) {
    if (request == null || request.executionArn() == null || request.executionArn().isBlank()) {
      // The state machine always passes it: its absence is a bug in the definition, not in the upload.
      throw new IllegalArgumentException("validateUpload needs 'executionArn' ($states.context.Execution.Id) beside 'event'");
    }
    EventBridgeEvent<ObjectCreated> event = request.event();
    String problem = malformed(event);
    if (problem != null) {
      log.warn("malformed event in {}: {}", request.executionArn(), problem);
      return new Validation.Rejected(null, RejectReason.MALFORMED_EVENT, problem);
    }
    ObjectCreated.S3Object object = event.detail().object();
    Optional<String> raw = SourceKey.decode(object.key());
    if (raw.isEmpty()) {
      return new Validation.Rejected(null, RejectReason.MALFORMED_EVENT, "the event's object key is not validly URL-encoded");
    }
    Optional<SourceKey> key = SourceKey.parse(raw.get());
    if (key.isEmpty()) {
      return new Validation.Rejected(null, RejectReason.KEY_OUTSIDE_UPLOADS,
          "videos must be uploaded to uploads/{ownerId}/{videoId}/source through the URL that createUpload returns; "
              + "this object is at '" + printable(raw.get()) + "'");
    }
    String videoId = key.get().videoId();
    ObjectIdentity identity = new ObjectIdentity(raw.get(), object.etag(), object.sequencer(),
        object.size() == null ? -1 : object.size());

    ClaimResult claim = catalog.claim(videoId, key.get().ownerId(), identity, request.executionArn());
    if (claim instanceof ClaimResult.Unknown) {
      return new Validation.Rejected(videoId, RejectReason.UNKNOWN_VIDEO,
          "no upload was created for video " + videoId + "; ask for an upload first (POST /uploads)");
    }
    if (claim instanceof ClaimResult.OwnerMismatch) {
      return new Validation.Rejected(videoId, RejectReason.OWNER_MISMATCH,
          "video " + videoId + " does not belong to the owner in the object's key");
    }
    if (claim instanceof ClaimResult.Duplicate duplicate) {
      VideoItem item = duplicate.item();
      return new Validation.Duplicate(videoId, "video " + videoId + " is already " + item.status()
          + (item.claimedBy() == null ? "" : ", claimed by " + item.claimedBy()) + "; this event changes nothing");
    }
    VideoItem item = ((ClaimResult.Claimed) claim).item();
    if (item.status() == VideoStatus.REJECTED) {
      // A retry or redrive of an execution that already decided: give the same answer.
      return new Validation.Rejected(videoId, RejectReason.valueOf(item.rejectReason()), item.rejectDetail());
    }
    return inspect(request.executionArn(), event.detail().bucket().name(), key.get(), item);
  }

  private Validation inspect(String executionArn, String bucket, SourceKey key, VideoItem item) {
    String videoId = key.videoId();
    Optional<ObjectHead> found = store.head(bucket, key.key());
    if (found.isEmpty()) {
      return reject(executionArn, videoId, RejectReason.SOURCE_MISSING,
          "the uploaded file was deleted before it could be checked; upload it again");
    }
    ObjectHead head = found.get();
    if (head.size() == 0) {
      return reject(executionArn, videoId, RejectReason.EMPTY_FILE, "the uploaded file is empty (0 bytes)");
    }
    if (head.size() > maxBytes) {
      return reject(executionArn, videoId, RejectReason.TOO_LARGE,
          "the file is " + Bytes.human(head.size()) + "; the largest video accepted is " + Bytes.human(maxBytes));
    }
    if (item.declaredBytes() != null && item.declaredBytes() != head.size()) {
      return reject(executionArn, videoId, RejectReason.SIZE_MISMATCH,
          "the upload was declared as " + item.declaredBytes() + " bytes but " + head.size() + " arrived");
    }
    ByteSource source = store.open(head);
    byte[] first = source.read(0, HEAD_BYTES);
    ContainerDetector.Detection detection = detector.detect(first);
    if (detection instanceof ContainerDetector.Detection.Executable exe) {
      return reject(executionArn, videoId, RejectReason.EXECUTABLE,
          "this file is a program (" + exe.mediaType() + "), not a video");
    }
    if (detection instanceof ContainerDetector.Detection.NotVideo other) {
      return reject(executionArn, videoId, RejectReason.NOT_A_VIDEO,
          "this file is not a video: its content is " + describe(other.mediaType()));
    }
    if (detection instanceof ContainerDetector.Detection.OtherVideo other) {
      return reject(executionArn, videoId, RejectReason.UNSUPPORTED_CONTAINER,
          "videos in " + other.mediaType() + " are not accepted; accepted: " + allowed);
    }
    Container container = ((ContainerDetector.Detection.Video) detection).container();
    if (!allowed.contains(container)) {
      return reject(executionArn, videoId, RejectReason.UNSUPPORTED_CONTAINER,
          container + " videos are not accepted here; accepted: " + allowed);
    }
    catalog.accept(videoId, executionArn, container.name(), head.size());
    return new Validation.Accepted(videoId, key.ownerId(), bucket, key.key(), container, head.size(), head.etag());
  }

  private Validation reject(String executionArn, String videoId, RejectReason reason, String detail) {
    catalog.reject(videoId, executionArn, reason.name(), detail);
    return new Validation.Rejected(videoId, reason, detail);
  }

  private static String describe(String mediaType) {
    return "application/octet-stream".equals(mediaType) ? "not a format we recognise" : mediaType;
  }

  /** Returns null when the event has what we need, else what is missing. */
  private static String malformed(EventBridgeEvent<ObjectCreated> e) {
    if (e == null) {
      return "the input has no 'event'";
    }
    if (!e.is(ObjectCreated.SOURCE, ObjectCreated.DETAIL_TYPE)) {
      return "expected an S3 'Object Created' event (source aws.s3), got source '" + e.source()
          + "' and detail-type '" + e.detailType() + "'";
    }
    if (e.detail() == null) {
      return "the event has no 'detail'";
    }
    if (e.detail().bucket() == null || blank(e.detail().bucket().name())) {
      return "the event has no 'detail.bucket.name'";
    }
    ObjectCreated.S3Object o = e.detail().object();
    if (o == null) {
      return "the event has no 'detail.object'";
    }
    if (blank(o.key())) {
      return "the event has no 'detail.object.key'";
    }
    if (blank(o.etag())) {
      return "the event has no 'detail.object.etag'";
    }
    if (blank(o.sequencer())) {
      return "the event has no 'detail.object.sequencer'";
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The key as a creator may see it: control characters escaped, long keys cut. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(200).forEach(cp -> {
      if (Character.isISOControl(cp)) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return s.codePointCount(0, s.length()) > 200 ? b.append("…").toString() : b.toString();
  }
}
