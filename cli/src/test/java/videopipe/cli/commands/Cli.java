package videopipe.cli.commands;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import videopipe.cli.Main;

/** Runs {@code videopipe ARGS} in-process, as the launcher would, with a stack-file home of its own. */
record Cli(int code, String out, String err) {

  static Cli run(Path home, String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        home).run(argv);
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The last line printed on stdout. */
  String lastLine() {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  String firstLine() {
    return out.strip().split("\n")[0].strip();
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
