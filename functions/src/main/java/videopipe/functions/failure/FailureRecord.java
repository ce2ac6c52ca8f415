package videopipe.functions.failure;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What {@code recordFailure} did with an execution status change. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = FailureRecord.Recorded.class, name = "RECORDED"),
    @JsonSubTypes.Type(value = FailureRecord.Ignored.class, name = "IGNORED")
})
public sealed interface FailureRecord {

  /** The video is now FAILED, with the execution's error; {@code Video Failed} went out. */
  record Recorded(String videoId, String executionArn, String error) implements FailureRecord {}

  /** Nothing to record, and why (not a failure, no video, already final, another execution's claim). */
  record Ignored(String videoId, String why) implements FailureRecord {}
}
