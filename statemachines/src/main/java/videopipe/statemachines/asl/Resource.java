package videopipe.statemachines.asl;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a Task runs. Only Lambda, the one service the pipeline's tasks call: the optimised
 * integration {@code arn:aws:states:::lambda:invoke} (arguments {@code FunctionName} and
 * {@code Payload}; result wrapped as {@code {Payload, StatusCode, …}}) and a plain function ARN
 * (the input is the payload and the result is the function's own), and the callback form
 * {@code lambda:invoke.waitForTaskToken}. Any other resource is refused
 * by name rather than run differently from AWS.
 */
public sealed interface Resource {

  String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

  /** {@code waitForTaskToken}: the task waits for SendTaskSuccess/Failure with the token it passed on. */
  record LambdaInvoke(boolean waitForTaskToken) implements Resource {}

  record LambdaFunction(String arn) implements Resource {}

  Pattern FUNCTION_ARN = Pattern.compile(
      "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?");

  static Optional<Resource> parse(Obj o) {
    Optional<String> text = o.requiredString("Resource");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String arn = text.get();
    String at = o.at("Resource");
    if (arn.equals(LAMBDA_INVOKE)) {
      return Optional.of(new LambdaInvoke(false));
    }
    if (arn.equals(LAMBDA_INVOKE + ".waitForTaskToken")) {
      return Optional.of(new LambdaInvoke(true));
    }
    if (FUNCTION_ARN.matcher(arn).matches()) {
      return Optional.of(new LambdaFunction(arn));
    }
    if (arn.startsWith(LAMBDA_INVOKE + ".")) {
      o.problems.unsupported(at, "the integration pattern of '" + arn + "' is not supported by this engine yet");
    } else if (arn.startsWith("arn:aws:states:::") || arn.contains(":activity:")) {
      o.problems.unsupported(at, "resource '" + arn + "' is not supported by this engine (only Lambda is)");
    } else {
      o.problems.schema(at, "'" + arn + "' is not a valid resource ARN");
    }
    return Optional.empty();
  }
}
