package videopipe.functions.transcode;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What submitTranscode did. Step Functions ignores a {@code .waitForTaskToken} task's own result
 * (the task ends when the token is answered), so this is for the logs and the tests.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "outcome")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Submission.Submitted.class, name = "SUBMITTED"),
    @JsonSubTypes.Type(value = Submission.Rebound.class, name = "REBOUND"),
    @JsonSubTypes.Type(value = Submission.AnsweredAtOnce.class, name = "ANSWERED")
})
public sealed interface Submission {

  String jobId();

  /** A new job; {@code replacing} is the failed or cancelled one it replaces (null for the first). */
  record Submitted(String videoId, String jobId, String replacing) implements Submission {}

  /** The job was still running: the new task token was bound to it. */
  record Rebound(String videoId, String jobId) implements Submission {}

  /** The job had already completed: the new task token was answered with its outputs at once. */
  record AnsweredAtOnce(String videoId, String jobId, boolean delivered) implements Submission {}
}
