package videopipe.functions.validate;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import videopipe.functions.metadata.Container;

/**
 * The outcome of validating an upload. The state machine routes on {@code outcome}: ACCEPTED goes
 * on to metadata extraction; REJECTED and DUPLICATE end the execution successfully (the creator's
 * problem, or nobody's).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Validation.Accepted.class, name = "ACCEPTED"),
    @JsonSubTypes.Type(value = Validation.Rejected.class, name = "REJECTED"),
    @JsonSubTypes.Type(value = Validation.Duplicate.class, name = "DUPLICATE")
})
public sealed interface Validation {

  String videoId();

  record Accepted(String videoId, String ownerId, String bucket, String key, Container container, long bytes,
      String etag) implements Validation {}

  /** {@code videoId} is null when the event did not name one we could trust. */
  record Rejected(String videoId, RejectReason reason, String detail) implements Validation {}

  record Duplicate(String videoId, String detail) implements Validation {}
}
