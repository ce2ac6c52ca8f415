package videopipe.functions.extract;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.validate.RejectReason;

/** The outcome of reading an upload's metadata; the state machine routes on {@code outcome}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Extraction.Extracted.class, name = "EXTRACTED"),
    @JsonSubTypes.Type(value = Extraction.Rejected.class, name = "REJECTED")
})
public sealed interface Extraction {

  String videoId();

  record Extracted(String videoId, String ownerId, String bucket, String key, VideoMetadata metadata)
      implements Extraction {}

  /** The file cannot be used (truncated, corrupt, no video, too long): the creator's to fix. */
  record Rejected(String videoId, RejectReason reason, String detail) implements Extraction {}
}
