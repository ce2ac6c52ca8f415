package videopipe.localstack.ffmpeg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The ffmpeg and ffprobe executables shipped in {@code org.bytedeco:ffmpeg} (GPL build), ready to
 * run: JavaCPP's {@link Loader} extracts them into its cache, but not in a state the dynamic linker
 * accepts on Debian 12. The executables ask for {@code libva.so.2} and {@code libva-drm.so.2}
 * while the jar ships {@code libva.so} and {@code libva-drm.so}, so we add the soname links, and
 * the bundled libraries are only found with {@code LD_LIBRARY_PATH} pointing at that folder. The
 * system packages libpulse0, libasound2, libxcb1 and libxcb-shm0 are still needed (libavdevice
 * links them); {@code .ci/run} installs them and the README names them.
 */
public final class Ffmpeg {

  private static volatile Ffmpeg instance;

  private final Path ffmpeg;
  private final Path ffprobe;
  private final Path libraryDir;

  private Ffmpeg(Path ffmpeg, Path ffprobe) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.libraryDir = ffmpeg.getParent();
  }

  /** Extracts (once per JVM) and returns the executables. */
  public static Ffmpeg get() {
    Ffmpeg local = instance;
    if (local == null) {
      synchronized (Ffmpeg.class) {
        local = instance;
        if (local == null) {
          local = extract();
          instance = local;
        }
      }
    }
    return local;
  }

  private static Ffmpeg extract() {
    Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    Path ffprobe = Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
    Path dir = ffmpeg.getParent();
    link(dir, "libva.so.2", "libva.so");
    link(dir, "libva-drm.so.2", "libva-drm.so");
    return new Ffmpeg(ffmpeg, ffprobe);
  }

  private static void link(Path dir, String soname, String target) {
    Path link = dir.resolve(soname);
    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.exists(dir.resolve(target))) {
      return;
    }
    try {
      Files.createSymbolicLink(link, Path.of(target));
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another JVM sharing JavaCPP's cache made it first: the link is the same
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + link + " -> " + target, e);
    }
  }

  public Path ffmpegPath() {
    return ffmpeg;
  }

  public Path ffprobePath() {
    return ffprobe;
  }

  /** A process builder for {@code ffmpeg args...}, with the bundled libraries on the linker path. */
  public ProcessBuilder ffmpeg(List<String> args) {
    return builder(ffmpeg, args);
  }

  /** A process builder for {@code ffprobe args...}, with the bundled libraries on the linker path. */
  public ProcessBuilder ffprobe(List<String> args) {
    return builder(ffprobe, args);
  }

  private ProcessBuilder builder(Path exe, List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(exe.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    String existing = System.getenv("LD_LIBRARY_PATH");
    pb.environment().put("LD_LIBRARY_PATH",
        existing == null || existing.isBlank() ? libraryDir.toString() : libraryDir + ":" + existing);
    return pb;
  }

  /**
   * Runs ffmpeg to completion, failing with its own error output when it exits non-zero or does
   * not finish within the timeout.
   */
  public void run(List<String> args, long timeout, TimeUnit unit) {
    runAndCapture(ffmpeg(args), timeout, unit);
  }

  /** Runs ffprobe and returns what it printed on standard output. */
  public String probe(List<String> args, long timeout, TimeUnit unit) {
    return runAndCapture(ffprobe(args), timeout, unit);
  }

  private static String runAndCapture(ProcessBuilder pb, long timeout, TimeUnit unit) {
    try {
      Path err = Files.createTempFile("ffmpeg", ".err");
      try {
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout, unit)) {
          p.destroyForcibly();
          throw new IllegalStateException(pb.command().get(0) + " did not finish within " + timeout + " " + unit);
        }
        if (p.exitValue() != 0) {
          String stderr = Files.readString(err, StandardCharsets.UTF_8);
          throw new IllegalStateException(pb.command() + " exited " + p.exitValue() + ":\n" + tail(stderr));
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + pb.command().get(0), e);
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
