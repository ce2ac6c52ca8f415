package videopipe.localstack.dynamodb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Checks, once per executable and JVM, that {@code node} is there and recent enough for dynalite. */
final class NodeRuntime {

  /** dynalite 4 declares {@code engines: node >= 20}. */
  static final int MIN_MAJOR = 20;

  private static final Map<String, String> CHECKED = new ConcurrentHashMap<>();

  private NodeRuntime() {}

  /** Returns {@code node --version} (e.g. {@code v20.11.1}), or fails saying what to install. */
  static String require(String node) {
    return CHECKED.computeIfAbsent(node, NodeRuntime::check);
  }

  private static String check(String node) {
    String version;
    try {
      Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
      version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("`" + node + " --version` did not answer within 30 s");
      }
    } catch (IOException notFound) {
      throw new IllegalStateException("Node.js " + MIN_MAJOR + "+ is required (https://nodejs.org); `" + node
          + "` was not found" + (node.contains("/") || node.contains("\\") ? "" : " on PATH"), notFound);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking `" + node + " --version`", e);
    }
    if (major(version) < MIN_MAJOR) {
      throw new IllegalStateException("Node.js " + MIN_MAJOR + "+ is required (https://nodejs.org); `" + node
          + " --version` says " + version);
    }
    return version;
  }

  /** The major version of {@code v20.11.1}, or -1 when it does not read like one. */
  static int major(String version) {
    try {
      return Integer.parseInt(version.replaceFirst("^v", "").split("\\.", 2)[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
