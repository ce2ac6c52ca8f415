package videopipe.functions.captions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Amazon Transcribe's {@code Transcribe Job State Change} event, as EventBridge delivers it
 * (Transcribe developer guide, "Using Amazon EventBridge with Amazon Transcribe"): the job's name
 * and status, and on failure the reason. The rule ({@code transcription-job-state-change} in
 * statemachines) passes COMPLETED and FAILED jobs of this stack.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TranscriptionJobStateChange(
    String source,
    @JsonProperty("detail-type") String detailType,
    Detail detail) {

  public static final String SOURCE = "aws.transcribe";
  public static final String DETAIL_TYPE = "Transcribe Job State Change";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Detail(
      @JsonProperty("TranscriptionJobName") String transcriptionJobName,
      @JsonProperty("TranscriptionJobStatus") String transcriptionJobStatus,
      @JsonProperty("FailureReason") String failureReason) {}
}
