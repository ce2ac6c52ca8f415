package videopipe.cli.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import videopipe.localstack.ffmpeg.Ffmpeg;

/** A real clip made at test time with the bundled ffmpeg: 1 s, 160x90 unless asked, H.264 + AAC, fast-start MP4. */
public final class Clips {

  private Clips() {}

  public static byte[] mp4(Path dir) throws IOException {
    return mp4(dir, "clip.mp4", 1, "160x90");
  }

  /** A clip of {@code seconds} at {@code size} (WxH), the same otherwise: longer to transcode. */
  public static byte[] mp4(Path dir, String name, int seconds, String size) throws IOException {
    Path out = dir.resolve(name);
    Ffmpeg.get().run(List.of("-hide_banner", "-loglevel", "error", "-y", "-threads", "1",
        "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-movflags", "+faststart", out.toString()), 120, TimeUnit.SECONDS);
    return Files.readAllBytes(out);
  }
}
