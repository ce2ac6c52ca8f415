package videopipe.functions.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import videopipe.functions.testing.LambdaContext;

/**
 * One cold start, in the fresh JVM that {@link ColdStartBenchmark} spawns: builds the handler (as
 * Lambda's init phase does), passes it one event (as the first invoke does), prints the response on
 * one line and exits. Arguments: {@code scf|plain} and the file holding the Lambda input.
 *
 * <p>The response line is printed before anything else is measured: the parent stops its clock on
 * that line. Only then does the child ask the JVM when it started (the management classes that
 * tell it are not cheap to load) and print where its time went: JVM start to {@code main}, building
 * the handler (what Lambda's init phase runs) and the first invoke.
 */
public final class ColdStartChild {

  static final String RESPONSE = "COLDSTART-RESPONSE ";
  /** Then: JVM start to main, main to handler built (Lambda's init), first invoke; milliseconds. */
  static final String PHASES = "COLDSTART-PHASES ";

  private ColdStartChild() {}

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    byte[] input = Files.readAllBytes(Path.of(args[1]));
    RequestStreamHandler handler = switch (args[0]) {
      case "scf" -> new FunctionInvoker();
      case "plain" -> new PlainValidateHandler();
      default -> throw new IllegalArgumentException("variant must be scf or plain, was " + args[0]);
    };
    long built = System.currentTimeMillis();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(input), output, new LambdaContext("validateUpload"));
    long responded = System.currentTimeMillis();
    System.out.println(RESPONSE + output.toString(StandardCharsets.UTF_8).replace('\n', ' '));
    System.out.flush();
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println(PHASES + (main - started) + " " + (built - main) + " " + (responded - built));
    System.out.flush();
    // FunctionInvoker leaves the application context (and the SDK its threads) running: a Lambda
    // sandbox is frozen, not exited, so neither bothers to stop. Here the run is over.
    System.exit(0);
  }
}
