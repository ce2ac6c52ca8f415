package videopipe.cli.commands;

/**
 * Why a command stops, with its exit code: {@link #usage} (2) for arguments that make no sense,
 * {@link #input} (2) for a file or value the user gave that cannot be used, {@link #failed} (1)
 * for what went wrong once running (an API or service error, no stack to talk to).
 */
public final class CommandError extends Exception {

  private final int exitCode;
  private final boolean showUsage;

  private CommandError(String message, int exitCode, boolean showUsage) {
    super(message);
    this.exitCode = exitCode;
    this.showUsage = showUsage;
  }

  public static CommandError usage(String message) {
    return new CommandError(message, 2, true);
  }

  public static CommandError input(String message) {
    return new CommandError(message, 2, false);
  }

  public static CommandError failed(String message) {
    return new CommandError(message, 1, false);
  }

  public int exitCode() {
    return exitCode;
  }

  public boolean showUsage() {
    return showUsage;
  }
}
