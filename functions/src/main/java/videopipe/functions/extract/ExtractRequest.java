package videopipe.functions.extract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import videopipe.functions.metadata.Container;

/**
 * What the {@code ExtractMetadata} state passes: the accepted validation (its fields, as
 * {@code validateUpload} returned them) and the execution's ARN.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExtractRequest(String videoId, String ownerId, String bucket, String key, Container container,
    long bytes, String etag, String executionArn) {}
