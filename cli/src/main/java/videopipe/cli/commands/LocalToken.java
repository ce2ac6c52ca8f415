package videopipe.cli.commands;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code videopipe local token [--user U] [--ttl 1h]}: prints a JWT the running stack's API accepts. */
final class LocalToken {

  static final Duration DEFAULT_TTL = Duration.ofHours(1);

  private final Commands cli;

  LocalToken(Commands cli) {
    this.cli = cli;
  }

  void run(List<String> argv) throws CommandError {
    Args args = Args.parse(argv, Set.of("--user", "--ttl"), Set.of(), Set.of());
    if (!args.positional().isEmpty()) {
      throw CommandError.usage("local token takes no argument, got " + args.positional().get(0));
    }
    String user = Commands.user(args);
    Duration ttl = args.duration("--ttl", DEFAULT_TTL);
    cli.out().println(cli.stack().mintToken(user, ttl));
  }
}
