package videopipe.statemachines.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.Json;

/**
 * The npm package {@code aws-local-stepfunctions} on the same definitions, through
 * {@code src/test/node/run-baseline.mjs}: installed with {@code npm ci} from the pinned lock file
 * the first time (or when the lock file changed), never by the build.
 */
final class NodeBaseline {

  /** A row as the runner prints it; see run-baseline.mjs for how it counts. */
  record Result(long transitionsPerSecond, List<?> rounds, long transitionsPerExecution, Object output, String node) {}

  private final Path folder;
  private final Path work;
  private String nodeVersion = "node not run";

  NodeBaseline(Path folder) throws IOException {
    this.folder = folder.toAbsolutePath();
    this.work = Files.createTempDirectory("sfn-bench");
  }

  /** Runs {@code npm ci} unless node_modules already holds what package-lock.json pins. */
  void install() throws IOException, InterruptedException {
    Path installed = folder.resolve("node_modules/.package-lock.json");
    Path lock = folder.resolve("package-lock.json");
    if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
      return;
    }
    System.err.println("npm ci in " + folder);
    run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), true);
  }

  Result measure(String name, String definition, String input, int executions, int warmups, int rounds, boolean instantTasks)
      throws IOException, InterruptedException {
    Path def = Files.writeString(work.resolve(name + ".asl.json"), definition);
    Path in = Files.writeString(work.resolve(name + ".input.json"), input);
    String out = run(List.of("node", folder.resolve("run-baseline.mjs").toString(), def.toString(), in.toString(),
        String.valueOf(executions), String.valueOf(warmups), String.valueOf(rounds), instantTasks ? "instant-echo" : "none"),
        false);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.lines().reduce((a, b) -> b).orElseThrow());
    nodeVersion = (String) m.get("node");
    List<?> all = (List<?>) m.get("rounds");
    long[] sorted = all.stream().mapToLong(x -> ((Number) x).longValue()).sorted().toArray();
    return new Result(sorted[sorted.length / 2], all, ((Number) m.get("transitionsPerExecution")).longValue(),
        m.get("output"), (String) m.get("node"));
  }

  /** The package's version as installed, and the Node version that ran it. */
  String describe() throws IOException {
    Object pkg = Json.parse(Files.readString(folder.resolve("node_modules/aws-local-stepfunctions/package.json")));
    return "aws-local-stepfunctions " + ((Map<?, ?>) pkg).get("version") + " on Node " + nodeVersion;
  }

  private String run(List<String> command, boolean inheritOutput) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
    if (inheritOutput) {
      pb.inheritIO();
    } else {
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process p = pb.start();
    String out = inheritOutput ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
    }
    return out;
  }
}
