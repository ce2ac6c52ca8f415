package videopipe.functions.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * One catalog item, as read back. Fields that later steps fill are null until then.
 *
 * @param metadata the probe's findings (see {@code videopipe.functions.metadata.VideoMetadata})
 * @param outputs what the transcode produced (renditions, playlist, MP4, thumbnail)
 * @param claimedBy the execution that claimed the upload: only it may move the item on
 * @param automaticCaptions Amazon Transcribe's captions: status, reason, job, track (null before attachCaptions ran)
 */
public record VideoItem(
    String videoId,
    String ownerId,
    VideoStatus status,
    Instant createdAt,
    Instant updatedAt,
    String fileName,
    String contentType,
    Long declaredBytes,
    String sourceKey,
    String sourceEtag,
    String sourceSequencer,
    Long sourceBytes,
    String claimedBy,
    String container,
    Map<String, Object> metadata,
    String rejectReason,
    String rejectDetail,
    Map<String, Object> outputs,
    java.util.List<Object> captions,
    String error,
    String cause,
    String executionArn,
    Map<String, Object> automaticCaptions) {}
