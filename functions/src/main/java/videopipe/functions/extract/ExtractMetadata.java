package videopipe.functions.extract;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.metadata.UnreadableVideoException;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.storage.ObjectHead;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.validate.RejectReason;

/**
 * {@code extractMetadata}: reads duration, picture, rotation, frame rate, codecs and tracks with
 * the probe's bounded ranged GETs, stores them on the catalog item, and hands them to the
 * transcode. A file the probe cannot describe is REJECTED with the probe's reason (the creator's
 * problem); S3 or DynamoDB trouble throws, for the state machine to retry.
 */
public final class ExtractMetadata implements Function<ExtractRequest, Extraction> {

  private final Catalog catalog;
  private final SourceStore store;
  private final VideoProbe probe;
  private final long maxDurationSeconds;

  public ExtractMetadata(Catalog catalog, SourceStore store, VideoProbe probe, long maxDurationSeconds) {
    this.catalog = catalog;
    this.store = store;
    this.probe = probe;
    this.maxDurationSeconds = maxDurationSeconds;
  }

  @Override
  public Extraction apply(ExtractRequest request) {
    String problem = missing(request);
    if (problem != null) {
      // The state machine builds this input from validateUpload's output: a gap is a definition bug.
      throw new IllegalArgumentException("extractMetadata: " + problem);
    }
    Optional<ObjectHead> head = store.head(request.bucket(), request.key());
    if (head.isEmpty()) {
      return reject(request, RejectReason.SOURCE_MISSING, "the uploaded file was deleted before it could be read");
    }
    if (request.etag() != null && head.get().etag() != null && !request.etag().equals(head.get().etag())) {
      return reject(request, RejectReason.SOURCE_MISSING, "the uploaded file was replaced while it was being checked");
    }
    VideoMetadata metadata;
    try {
      metadata = probe.probe(store.open(head.get()), request.container());
    } catch (UnreadableVideoException e) {
      return reject(request, reason(e.code()), e.detail());
    }
    if (metadata.durationSeconds() > maxDurationSeconds) {
      return reject(request, RejectReason.TOO_LONG, String.format(Locale.ROOT,
          "the video lasts %s; the longest accepted is %s", clock(metadata.durationSeconds()), clock(maxDurationSeconds)));
    }
    catalog.recordMetadata(request.videoId(), request.executionArn(), metadata);
    return new Extraction.Extracted(request.videoId(), request.ownerId(), request.bucket(), request.key(), metadata);
  }

  private Extraction reject(ExtractRequest request, RejectReason reason, String detail) {
    catalog.reject(request.videoId(), request.executionArn(), reason.name(), detail);
    return new Extraction.Rejected(request.videoId(), reason, detail);
  }

  static RejectReason reason(UnreadableVideoException.Code code) {
    return switch (code) {
      case TRUNCATED -> RejectReason.TRUNCATED;
      case CORRUPT -> RejectReason.CORRUPT;
      case NO_VIDEO_STREAM -> RejectReason.NO_VIDEO_STREAM;
      case TOO_DEEP, TOO_COSTLY -> RejectReason.TOO_COMPLEX;
      case UNSUPPORTED -> RejectReason.UNSUPPORTED_FORMAT;
    };
  }

  private static String clock(double seconds) {
    long s = (long) Math.ceil(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  private static String missing(ExtractRequest r) {
    if (r == null) {
      return "no input";
    }
    if (r.videoId() == null || r.bucket() == null || r.key() == null || r.container() == null) {
      return "needs videoId, bucket, key and container (validateUpload's ACCEPTED output)";
    }
    if (r.executionArn() == null || r.executionArn().isBlank()) {
      return "needs executionArn ($states.context.Execution.Id)";
    }
    return null;
  }
}
