package videopipe.localstack.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed outright (SIGKILL: an IDE's stop button, an OOM killer, a CI timeout) runs no
 * shutdown hook. Its dynalite must still end, or stray node processes pile up and hold ports and
 * LevelDB locks. The child watches its stdin, which the dead JVM can no longer hold open.
 */
class DynaliteOutlivesNoJvmTest {

  /** Run in a separate JVM by the test: starts dynalite, prints its pid, then waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    DynamoEmulator dynamo = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
    System.out.println("pid=" + dynamo.pid());
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }

  @Test
  void endsWhenItsJvmIsKilled() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        DynaliteOutlivesNoJvmTest.class.getName()))
        .redirectErrorStream(true)
        .start();
    ProcessHandle node;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder before = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("pid=")) {
        before.append(line).append('\n');
      }
      assertThat(line).as("the child JVM printed no pid; its output:%n%s", before).isNotNull();
      // Held from now on: a handle knows its process's start time, so it never acts on a reused pid.
      node = ProcessHandle.of(Long.parseLong(line.substring("pid=".length()))).orElseThrow();
    } finally {
      jvm.destroyForcibly();
      jvm.waitFor(30, TimeUnit.SECONDS);
    }

    try {
      node.onExit().orTimeout(30, TimeUnit.SECONDS).join();

      assertThat(node.isAlive()).isFalse();
    } finally {
      // if this test fails, at least it leaves no stray node behind
      node.destroyForcibly();
    }
  }
}
