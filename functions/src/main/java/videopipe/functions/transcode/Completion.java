package videopipe.functions.transcode;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What transcodeCompleted did with a job state change. Never an exception for a stale event. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Completion.Answered.class, name = "ANSWERED"),
    @JsonSubTypes.Type(value = Completion.Ignored.class, name = "IGNORED")
})
public sealed interface Completion {

  /** The waiting task was answered: SendTaskSuccess (COMPLETE) or SendTaskFailure (ERROR, CANCELED). */
  record Answered(String videoId, String jobId, String status) implements Completion {}

  /** Nothing to answer, and why: not final, unknown or stale job, or the token no longer waits. */
  record Ignored(String videoId, String jobId, String why) implements Completion {}
}
