package videopipe.functions.captions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The detail of Amazon Transcribe's {@code Transcribe Job State Change} event, as EventBridge
 * delivers it (Transcribe developer guide, "Using Amazon EventBridge with Amazon Transcribe"): the
 * job's name and status, and on failure the reason. The rule ({@code
 * transcription-job-state-change} in statemachines) passes COMPLETED and FAILED jobs of this stack.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TranscriptionJobStateChange(
    @JsonProperty("TranscriptionJobName") String transcriptionJobName,
    @JsonProperty("TranscriptionJobStatus") String transcriptionJobStatus,
    @JsonProperty("FailureReason") String failureReason) {

  public static final String SOURCE = "aws.transcribe";
  public static final String DETAIL_TYPE = "Transcribe Job State Change";
}
