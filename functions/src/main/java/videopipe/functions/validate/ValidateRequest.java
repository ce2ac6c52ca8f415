package videopipe.functions.validate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ObjectCreated;

/**
 * What the {@code Validate} state passes: the S3 event that started the execution, and the
 * execution's ARN ({@code $states.context.Execution.Id}), which the claim is recorded under so that
 * a retry or a redrive of the same execution is recognised.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ValidateRequest(EventBridgeEvent<ObjectCreated> event, String executionArn) {}
