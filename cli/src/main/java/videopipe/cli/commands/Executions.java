package videopipe.cli.commands;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code videopipe executions [--status S] [--page-size N]}: video-ingest's executions
 * (ListExecutions, every page, N a request), newest first as Step Functions lists them, with the
 * ARN {@code redrive} takes.
 */
final class Executions {

  private final Commands cli;

  Executions(Commands cli) {
    this.cli = cli;
  }

  void run(List<String> argv) throws CommandError {
    Args args = Args.parse(argv, Set.of("--status", "--page-size"), Set.of(), Set.of());
    if (!args.positional().isEmpty()) {
      throw CommandError.usage("executions takes no argument, got " + args.positional().get(0));
    }
    String statusOption = args.value("--status", null);
    ExecutionStatus status = null;
    if (statusOption != null) {
      status = ExecutionStatus.fromValue(statusOption.toUpperCase(Locale.ROOT));
      if (status == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
        throw CommandError.input("--status must be one of " + ExecutionStatus.knownValues().stream()
            .map(ExecutionStatus::toString).collect(Collectors.joining(", ")) + ", got '" + statusOption + "'");
      }
    }
    int pageSize = args.integer("--page-size", 100, 1, 1000);
    var stack = cli.stack();
    ExecutionStatus filter = status;
    int n = 0;
    try (SfnClient sfn = Sfn.client(stack)) {
      for (ExecutionListItem e : sfn.listExecutionsPaginator(b -> b.stateMachineArn(stack.stateMachineArn())
          .statusFilter(filter).maxResults(pageSize)).executions()) {
        if (n++ == 0) {
          cli.out().printf("%-15s  %-24s  %-24s  %7s  %s%n", "STATUS", "STARTED", "STOPPED", "REDRIVES", "EXECUTION ARN");
        }
        cli.out().printf("%-15s  %-24s  %-24s  %7s  %s%n", e.statusAsString(), time(e.startDate()), time(e.stopDate()),
            e.redriveCount() == null ? "0" : e.redriveCount(), e.executionArn());
      }
    }
    if (n == 0) {
      cli.out().println("no " + (status == null ? "" : status + " ") + "executions of " + stack.stateMachineArn());
    }
  }

  private static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }
}
