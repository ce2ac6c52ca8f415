package videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code videopipe demo} in-process: the whole stack, a generated clip, up to READY, exit code 0. */
class MainDemoTest {

  @Test
  void demoReachesReady() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"demo"});
    String printed = out.toString(StandardCharsets.UTF_8);

    assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("Validate ").contains("Publish ").contains("SUCCEEDED").contains("\"status\" : \"READY\"").contains("local stack stopped")
        .containsPattern("playlist +\\S+\\.m3u8").containsPattern("mp4 +\\S+\\.mp4").containsPattern("thumbnail +\\S+\\.jpg")
        .containsPattern("captions +\\S+/captions/en\\.vtt \\(en\\)");
    assertThat(printed).doesNotContain("NOT READY");
  }

  @Test
  void refusesUnknownCommands() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"nope"});

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: videopipe");
  }
}
