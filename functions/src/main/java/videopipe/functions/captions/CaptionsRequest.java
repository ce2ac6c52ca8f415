package videopipe.functions.captions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the {@code Captions} branch passes: the extracted upload's video, owner, bucket and key (as
 * {@code extractMetadata} returned them) and the execution.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaptionsRequest(String videoId, String ownerId, String bucket, String key, String executionArn) {}
