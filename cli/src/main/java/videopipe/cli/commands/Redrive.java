package videopipe.cli.commands;

import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.RedriveExecutionResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * {@code videopipe redrive ARN}: RedriveExecution, which resumes a FAILED, TIMED_OUT or ABORTED
 * execution at the state that failed. The service's refusal (ExecutionNotRedrivable,
 * ExecutionDoesNotExist, ...) is printed as it gives it, code and message.
 */
final class Redrive {

  private final Commands cli;

  Redrive(Commands cli) {
    this.cli = cli;
  }

  void run(List<String> argv) throws CommandError {
    Args args = Args.parse(argv, Set.of(), Set.of(), Set.of());
    if (args.positional().size() != 1) {
      throw CommandError.usage("redrive takes one EXECUTION_ARN" + (args.positional().isEmpty() ? ""
          : ", got " + args.positional()));
    }
    String arn = args.positional().get(0);
    if (!arn.startsWith("arn:")) {
      throw CommandError.input("'" + arn + "' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:...)"
          + ": ./videopipe executions --status FAILED lists them");
    }
    var stack = cli.stack();
    try (SfnClient sfn = Sfn.client(stack)) {
      RedriveExecutionResponse r = sfn.redriveExecution(b -> b.executionArn(arn));
      cli.out().println("redriven at " + r.redriveDate() + ": " + arn);
    } catch (SfnException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      throw CommandError.failed("RedriveExecution refused: " + code + ": " + message);
    }
  }
}
