package videopipe.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Step Functions' {@code Step Functions Execution Status Change} event as EventBridge delivers it
 * (source {@code aws.states}). {@code input} is the execution's input as a JSON string (absent when
 * it exceeded EventBridge's size limit, see {@code inputDetails.truncated}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionStatusChangeEvent(
    String version,
    String id,
    @JsonProperty("detail-type") String detailType,
    String source,
    String account,
    String time,
    String region,
    List<String> resources,
    Detail detail) {

  public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
  public static final String SOURCE = "aws.states";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Detail(
      String executionArn,
      String stateMachineArn,
      String name,
      String status,
      Long startDate,
      Long stopDate,
      String input,
      String output,
      String error,
      String cause,
      Integer redriveCount) {}
}
