package videopipe.statemachines.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * The ASL engine's numbers from DESIGN.md, measured side by side in one run and printed as a
 * markdown table for the README: state transitions per second with the full history recorded,
 * against the npm package {@code aws-local-stepfunctions} on the same definitions (target ≥ 10×),
 * JSONata against our own JSONPath (target ≥ 0.5×), and executions idle on task tokens (heap per
 * execution, threads). Not a test: it asserts nothing about time, it reports. Run it with
 *
 * <pre>
 * ./mvnw -q -pl statemachines test-compile exec:exec@engine-benchmark
 * </pre>
 *
 * which forks a JVM (see statemachines/pom.xml) and runs {@code npm ci} in src/test/node the
 * first time. System properties: {@code bench.rounds} (7), {@code bench.warmups} (5),
 * {@code bench.idle} (10000), {@code bench.node} (the npm folder), {@code bench.only} (a, b, c, d,
 * idle: comma-separated; all by default), each settable on the command line as a Maven property
 * ({@code -Dbench.only=a,b}); {@code -Dbench.jvmArgs=...} adds one JVM option to the fork, e.g.
 * {@code -XX:StartFlightRecording=filename=bench.jfr} to profile it.
 */
public final class EngineBenchmark {

  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 7);
    int warmups = Integer.getInteger("bench.warmups", 5);
    int idle = Integer.getInteger("bench.idle", 10_000);
    java.util.Set<String> only = java.util.Set.of(System.getProperty("bench.only", "a,b,c,d,idle").split(","));
    NodeBaseline node = new NodeBaseline(Path.of(System.getProperty("bench.node", "statemachines/src/test/node")));
    node.install();

    StringBuilder table = new StringBuilder();
    table.append("| workload | states entered / execution | executions / round | videopipe (transitions/s) "
        + "| aws-local-stepfunctions (transitions/s) | ratio | target |\n|---|---:|---:|---:|---:|---:|---|\n");
    TaskInvoker none = TaskInvoker.of(call -> call.payload());
    Throughput.Result a = null;

    if (only.contains("a") || only.contains("c")) {
      int n = 20;
      String input = BenchDefinitions.mapInput();
      a = Throughput.measure(BenchDefinitions.MAP_JSONPATH, input, n, warmups, rounds, ref -> none);
      progress("(a) videopipe", a);
      NodeBaseline.Result na = node.measure("map", BenchDefinitions.MAP_JSONPATH, input, n, warmups, rounds, false);
      progress("(a) npm", na);
      agree("(a)", a.output(), na.output());
      row(table, "(a) inline Map, 1,000 items × Pass → Choice → Pass → Succeed, JSONPath", a.transitionsPerExecution(), n,
          a.transitionsPerSecond(), String.valueOf(na.transitionsPerSecond()),
          ratio(a.transitionsPerSecond(), na.transitionsPerSecond()), "≥ 10× npm", a.transitionsPerSecond() >= 10 * na.transitionsPerSecond());
      if (only.contains("c")) {
        Throughput.Result c = Throughput.measure(BenchDefinitions.MAP_JSONATA, input, n, warmups, rounds, ref -> none);
        progress("(c) videopipe", c);
        agree("(c) vs (a)", c.output(), a.output());
        row(table, "(c) the same Map in JSONata", c.transitionsPerExecution(), n, c.transitionsPerSecond(),
            "n/a: the package has no JSONata", ratio(c.transitionsPerSecond(), a.transitionsPerSecond()) + " of our (a)",
            "≥ 0.5× our (a)", 2 * c.transitionsPerSecond() >= a.transitionsPerSecond());
      }
    }
    if (only.contains("b")) {
      int n = 200;
      String chain = BenchDefinitions.chain();
      Throughput.Result b = Throughput.measure(chain, BenchDefinitions.CHAIN_INPUT, n, warmups, rounds, ref -> none);
      progress("(b) videopipe", b);
      NodeBaseline.Result nb = node.measure("chain", chain, BenchDefinitions.CHAIN_INPUT, n, warmups, rounds, false);
      progress("(b) npm", nb);
      agree("(b)", b.output(), nb.output());
      row(table, "(b) 200 chained Pass, Parameters + ResultPath + States.MathAdd", b.transitionsPerExecution(), n,
          b.transitionsPerSecond(), String.valueOf(nb.transitionsPerSecond()),
          ratio(b.transitionsPerSecond(), nb.transitionsPerSecond()), "≥ 10× npm", b.transitionsPerSecond() >= 10 * nb.transitionsPerSecond());
    }
    if (only.contains("d")) {
      int n = 2_000;
      Throughput.Result d = Throughput.measure(BenchDefinitions.videoIngest(), BenchDefinitions.UPLOAD_EVENT, n, warmups,
          rounds, InstantFunctions::videoIngest);
      progress("(d) videopipe", d);
      row(table, "(d) video-ingest, instant in-process functions", d.transitionsPerExecution(), n, d.transitionsPerSecond(),
          "n/a: JSONata definition", "", "", null);
    }

    StringBuilder memory = new StringBuilder();
    if (only.contains("idle")) {
      memory.append("| executions idle on a task token | heap per execution | heap used after GC: before → idle (max) "
          + "| live threads: before → idle (peak) | SUCCEEDED after SendTaskSuccess | park / answer all |\n"
          + "|---|---:|---:|---:|---:|---:|\n");
      idleRow(memory, IdleExecutions.measure("Pass → lambda:invoke.waitForTaskToken → Pass", BenchDefinitions.AWAIT_TOKEN,
          "{\"videoId\": \"v-42\"}", idle, "{\"playlistKey\": \"v-42/hls/index.m3u8\"}"));
      idleRow(memory, IdleExecutions.measure("video-ingest, parked at SubmitTranscode", BenchDefinitions.videoIngest(),
          BenchDefinitions.UPLOAD_EVENT, idle, InstantFunctions.TRANSCODE_OUTPUTS));
    }

    System.out.println();
    System.out.printf("ASL engine benchmark: %d cores, Java %s (%s), %s, max heap %d MiB; median of %d rounds after %d warm-up rounds.%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        node.describe(), Runtime.getRuntime().maxMemory() >> 20, rounds, warmups);
    System.out.print(table);
    System.out.println();
    System.out.print(memory);
  }

  private static void row(StringBuilder t, String workload, long perExecution, int executions, long ours, String theirs,
                          String ratio, String target, Boolean met) {
    t.append("| ").append(workload).append(" | ").append(perExecution).append(" | ").append(executions).append(" | ")
        .append(String.format("%,d", ours)).append(" | ").append(theirs).append(" | ").append(ratio).append(" | ")
        .append(target).append(met == null ? "" : met ? " ✅" : " ❌").append(" |\n");
  }

  private static void idleRow(StringBuilder t, IdleExecutions.Result r) {
    t.append(String.format("| %s × %,d | %,d B | %d → %d MiB (%d) | %d → %d (%d) | %,d / %,d | %d ms / %d ms |%n",
        r.machine(), r.executions(), r.bytesPerExecution(), r.heapBeforeMiB(), r.heapIdleMiB(), r.heapMaxMiB(),
        r.threadsBefore(), r.threadsIdle(), r.peakThreads(), r.succeeded(), r.executions(), r.parkMillis(),
        r.answerMillis()));
  }

  private static String ratio(long ours, long theirs) {
    return String.format("%.1f×", (double) ours / theirs);
  }

  /** The two engines must have done the same work for the ratio to mean anything. */
  private static void agree(String what, Object ours, Object theirs) {
    if (!Objects.equals(Json.tree(Json.write(ours)), Json.tree(Json.write(theirs)))) {
      throw new IllegalStateException(what + ": the outputs differ; ours " + abbreviate(ours) + ", theirs " + abbreviate(theirs));
    }
  }

  private static String abbreviate(Object v) {
    String s = Json.write(v);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  private static void progress(String what, Throughput.Result r) {
    System.err.printf("%s: %,d transitions/s (rounds %s)%n", what, r.transitionsPerSecond(), Arrays.toString(r.rounds()));
  }

  private static void progress(String what, NodeBaseline.Result r) {
    System.err.printf("%s: %,d transitions/s (rounds %s)%n", what, r.transitionsPerSecond(), r.rounds());
  }
}
