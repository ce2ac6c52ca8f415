package videopipe.localstack.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled executables must run on a fresh Debian machine, or no clip can be made. */
class FfmpegTest {

  @Test
  void encodesAClipThatFfprobeReadsBack(@TempDir Path dir) {
    Path clip = dir.resolve("clip.mp4");
    Ffmpeg ff = Ffmpeg.get();
    ff.run(List.of("-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25:duration=1",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString()), 60, TimeUnit.SECONDS);
    assertThat(clip).exists();
    String out = ff.probe(List.of("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
        "-of", "csv=p=0", clip.toString()), 60, TimeUnit.SECONDS);
    assertThat(out.trim()).isEqualTo("160,90");
  }
}
