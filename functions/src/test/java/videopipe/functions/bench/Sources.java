package videopipe.functions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import videopipe.functions.bench.BytesReadBenchmark.Case;
import videopipe.localstack.ffmpeg.Ffmpeg;

/**
 * The benchmark's uploads: real MP4s that ffprobe accepts and players play, made with the bundled
 * ffmpeg in seconds, each written moov-at-end (ffmpeg's default) and then stream-copied with
 * {@code -movflags +faststart}, so both layouts hold the same samples.
 */
final class Sources {

  static final long HUNDRED_MIB = 100L * 1024 * 1024;

  private Sources() {}

  static List<Case> make(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Case> cases = new ArrayList<>();

    // A phone-sized short clip: 10 s of 720p at 30 fps with AAC sound.
    Path ten = dir.resolve("ten-seconds.mp4");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", ten.toString());
    addBothLayouts(cases, "10 s clip", ten);

    // Big but short: lossless H.264 of noise does not compress, so 3 s of 720p weigh over 100 MiB.
    Path big = dir.resolve("hundred-mib.mp4");
    ffmpeg("-f", "lavfi", "-i", "nullsrc=size=1280x720:rate=25:duration=3,geq=random(1)*255:128:128",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", big.toString());
    if (Files.size(big) < HUNDRED_MIB) {
      throw new IllegalStateException("the noise clip came out at " + Files.size(big) + " bytes, under 100 MiB");
    }
    addBothLayouts(cases, "100 MiB", big);

    // Long: one minute at 29.97 fps with B-frames (so a ctts entry per frame) and AAC, played 81
    // times over by stream copy. The moov holds about 5 MB of stts/ctts/stss/stsc/stsz/stco.
    Path minute = dir.resolve("minute.mp4");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=30000/1001:duration=60",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=60",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
        minute.toString());
    Path longMovie = dir.resolve("eighty-one-minutes.mp4");
    ffmpeg("-stream_loop", "80", "-i", minute.toString(), "-c", "copy", longMovie.toString());
    Files.delete(minute);
    addBothLayouts(cases, "81 min", longMovie);
    return cases;
  }

  private static void addBothLayouts(List<Case> cases, String name, Path moovAtEnd) {
    Path fastStart = moovAtEnd.resolveSibling(moovAtEnd.getFileName().toString().replace(".mp4", "-faststart.mp4"));
    ffmpeg("-i", moovAtEnd.toString(), "-c", "copy", "-movflags", "+faststart", fastStart.toString());
    cases.add(new Case(name + ", fast-start", fastStart));
    cases.add(new Case(name + ", moov at end", moovAtEnd));
  }

  private static void ffmpeg(String... args) {
    List<String> command = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
    command.addAll(List.of(args));
    Ffmpeg.get().run(command, 300, TimeUnit.SECONDS);
  }
}
