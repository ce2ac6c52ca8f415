package videopipe.cli.commands;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import videopipe.cli.local.StackFile;

/**
 * The creator's and the operator's commands, against the running local stack (found through its
 * stack file, see {@link StackFile}):
 *
 * <pre>
 *   videopipe local token [--user U] [--ttl 1h]    a JWT the stack's API accepts
 *   videopipe upload FILE [--captions LANG=FILE]... [--content-type T] [--user U] [--wait [--timeout 30m]]
 *   videopipe videos [ID] [--user U]               the user's videos, or one video's record
 *   videopipe executions [--status S]              video-ingest's executions, newest first
 *   videopipe redrive ARN                          RedriveExecution
 * </pre>
 *
 * Exit codes: 0 done; 1 the stack, the API or a service said no (their error printed as given);
 * 2 bad arguments or an unusable file.
 */
public final class Commands {

  /** The user when {@code --user} is not given: the one {@code local up}'s printed token is for. */
  static final String DEFAULT_USER = "dev";

  public static final String USAGE = """
      usage: videopipe local token [--user USER] [--ttl 1h]
             videopipe upload FILE [--captions LANG=FILE]... [--content-type TYPE] [--user USER] [--wait] [--timeout 30m]
             videopipe videos [ID] [--user USER] [--page-size 1..100]
             videopipe executions [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED|PENDING_REDRIVE] [--page-size 1..1000]
             videopipe redrive EXECUTION_ARN
      (after --, every argument is positional: videopipe videos -- -ID)""";

  private final PrintStream out;
  private final PrintStream err;
  private final Path home;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public Commands(PrintStream out, PrintStream err, Path home) {
    this.out = out;
    this.err = err;
    this.home = home;
  }

  /** Whether {@code argv} names one of these commands. */
  public static boolean handles(String[] argv) {
    if (argv.length == 0) {
      return false;
    }
    return switch (argv[0]) {
      case "upload", "videos", "executions", "redrive" -> true;
      case "local" -> argv.length > 1 && argv[1].equals("token");
      default -> false;
    };
  }

  /** Runs the command; returns the exit code. */
  public int run(String[] argv) {
    List<String> rest = Arrays.asList(argv).subList(argv[0].equals("local") ? 2 : 1, argv.length);
    try {
      switch (argv[0]) {
        case "local" -> new LocalToken(this).run(rest);
        case "upload" -> new Upload(this).run(rest);
        case "videos" -> new Videos(this).run(rest);
        case "executions" -> new Executions(this).run(rest);
        case "redrive" -> new Redrive(this).run(rest);
        default -> throw CommandError.usage("unknown command " + argv[0]);
      }
      out.flush();
      return 0;
    } catch (CommandError e) {
      out.flush();
      err.println("videopipe: " + e.getMessage());
      if (e.showUsage()) {
        err.println(USAGE);
      }
      return e.exitCode();
    } catch (SdkException e) {
      out.flush();
      err.println("videopipe: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // a bug or a damaged stack file: said in one line, not a stack trace
      out.flush();
      err.println("videopipe: " + e);
      return 1;
    }
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  HttpClient http() {
    return http;
  }

  /** The running local stack, or a failure saying to start one. */
  StackFile stack() throws CommandError {
    try {
      return StackFile.running(home);
    } catch (StackFile.NotRunning e) {
      throw CommandError.failed(e.getMessage());
    }
  }

  /** The API as {@code user}, with tokens minted from the stack file's key. */
  ApiClient api(StackFile stack, String user) {
    return new ApiClient(http, stack.apiEndpoint(), ttl -> stack.mintToken(user, ttl));
  }

  static String user(Args args) throws CommandError {
    String user = args.value("--user", DEFAULT_USER);
    if (user.isBlank()) {
      throw CommandError.input("--user must not be blank");
    }
    return user;
  }
}
