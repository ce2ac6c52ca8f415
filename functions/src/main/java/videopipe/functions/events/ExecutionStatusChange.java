package videopipe.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The detail of Step Functions' {@code Step Functions Execution Status Change} event as
 * EventBridge delivers it (source {@code aws.states}). {@code input} is the execution's input as a
 * JSON string (absent when it exceeded EventBridge's size limit, see {@code inputDetails.truncated}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionStatusChange(
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
    Integer redriveCount) {

  public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
  public static final String SOURCE = "aws.states";
}
