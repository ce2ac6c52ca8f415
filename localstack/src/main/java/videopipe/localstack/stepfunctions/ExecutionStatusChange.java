package videopipe.localstack.stepfunctions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.Execution;
import videopipe.statemachines.engine.ExecutionStatus;

/**
 * The {@code Step Functions Execution Status Change} event that Step Functions puts on the
 * account's default EventBridge bus at each status change of a Standard execution (RUNNING,
 * SUCCEEDED, FAILED, TIMED_OUT, ABORTED; a redrive is RUNNING again): source {@code aws.states},
 * the execution's ARN as the one resource, and a detail in the shape of DescribeExecution's
 * answer, with dates as epoch milliseconds (the EventBridge guide's example event for Step
 * Functions; checked against the documented fields, not against a live account).
 *
 * @param source always {@code aws.states}
 * @param detailType always {@code Step Functions Execution Status Change}
 * @param resources the execution's ARN
 * @param detail the detail object, as JSON
 */
public record ExecutionStatusChange(String source, String detailType, List<String> resources, String detail) {

  public static final String SOURCE = "aws.states";
  public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
  /**
   * An EventBridge entry holds 256 KiB: past this, the output and then the input are left out
   * ({@code included: false}), as Step Functions does for payloads too large for the event.
   */
  static final int MAX_DETAIL_BYTES = 240 * 1024;

  /** The event of {@code execution}'s current status. */
  public static ExecutionStatusChange of(Execution execution) {
    String input = Json.write(execution.input());
    String output = execution.status() == ExecutionStatus.SUCCEEDED ? Json.write(execution.output()) : null;
    String detail = detail(execution, input, output);
    if (bytes(detail) > MAX_DETAIL_BYTES && output != null) {
      detail = detail(execution, input, null);
    }
    if (bytes(detail) > MAX_DETAIL_BYTES) {
      detail = detail(execution, null, null);
    }
    return new ExecutionStatusChange(SOURCE, DETAIL_TYPE, List.of(execution.arn()), detail);
  }

  private static String detail(Execution e, String input, String output) {
    ObjectNode d = StepFunctionsApi.JSON.createObjectNode();
    d.put("executionArn", e.arn());
    d.put("stateMachineArn", e.stateMachineArn());
    d.put("name", e.name());
    d.put("status", e.status().name());
    d.put("startDate", e.startDate().toEpochMilli());
    d.put("stopDate", millis(e.stopDate()));
    d.put("input", input);
    d.putObject("inputDetails").put("included", input != null);
    d.put("output", output);
    if (e.status() == ExecutionStatus.SUCCEEDED) {
      d.putObject("outputDetails").put("included", output != null);
    } else {
      d.putNull("outputDetails");
    }
    d.put("error", e.error().map(x -> x.error()).orElse(null));
    d.put("cause", e.error().map(x -> x.cause()).orElse(null));
    d.putNull("stateMachineVersionArn");
    d.putNull("stateMachineAliasArn");
    d.put("redriveCount", e.redriveCount());
    d.put("redriveDate", millis(e.redriveDate()));
    d.put("redriveStatus", e.redrivable() ? "REDRIVABLE" : "NOT_REDRIVABLE");
    d.put("redriveStatusReason", e.redrivable() ? null : "Execution is " + e.status() + " and cannot be redriven");
    return StepFunctionsApi.JSON.writeValueAsString(d);
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
