package videopipe.functions.catalog;

import java.time.Instant;

/**
 * What the upload API needs to complete or abort an upload: the item's owner and status, and the
 * session recorded when it was created. {@code uploadedAt} is set once a multipart upload was
 * completed, so that a second completion is refused before S3 is asked.
 */
public record UploadState(String videoId, String ownerId, VideoStatus status, UploadSession session,
    Instant uploadedAt) {}
