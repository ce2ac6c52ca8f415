package videopipe.functions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import videopipe.functions.metadata.Container;
import videopipe.localstack.ffmpeg.Ffmpeg;

/**
 * Real clips, made at test time with the bundled ffmpeg from its synthetic sources (testsrc2
 * pictures, a sine tone) and kept in one temporary folder for the rest of the JVM run: each is
 * generated once, on first use, in a few tens of milliseconds (tiny pictures, fastest presets).
 * No binary is checked in.
 *
 * <p>Use {@link #path()} for the file and {@link #bytes()} for its content. Rotations follow
 * ffmpeg's {@code -display_rotation}, which is counter-clockwise: {@link #MP4_ROTATED} is made like
 * a phone held upright (ffprobe: -90; a clockwise 90 for the pipeline).
 */
public enum Clip {
  MP4_FAST_START(Container.MP4, "mp4", spec().out("-movflags", "+faststart")),
  MP4_MOOV_AT_END(Container.MP4, "mp4", spec()),
  MP4_ROTATED(Container.MP4, "mp4", spec().in("-noautorotate", "-display_rotation", "-90")),
  MP4_NO_AUDIO(Container.MP4, "mp4", spec().noAudio()),
  MP4_60FPS(Container.MP4, "mp4", spec().rate("60")),
  MP4_PORTRAIT(Container.MP4, "mp4", spec().size(90, 160)),
  MP4_LONG(Container.MP4, "mp4", spec().rate("15").seconds(20)),
  MP4_TEN_SECONDS_FAST_START(Container.MP4, "mp4", spec().seconds(10).out("-movflags", "+faststart")),
  MP4_TEN_SECONDS_MOOV_AT_END(Container.MP4, "mp4", spec().seconds(10)),
  MP4_HEVC(Container.MP4, "mp4", spec().video(Video.HEVC).out("-tag:v", "hvc1")),
  MP4_AV1(Container.MP4, "mp4", spec().video(Video.AV1).audio(Audio.OPUS)),
  MP4_TWO_AUDIO_TRACKS(Container.MP4, "mp4", spec().audioTracks(2)),
  /** Fragments start at each keyframe (one a second), the moov is empty, an mfra index ends the file. */
  MP4_FRAGMENTED(Container.MP4, "mp4", spec().seconds(3).out("-g", "25", "-movflags", "frag_keyframe+empty_moov")),
  MOV(Container.MOV, "mov", spec().rate("30000/1001")),
  MKV(Container.MATROSKA, "mkv", spec()),
  MKV_ROTATED(Container.MATROSKA, "mkv", spec().in("-noautorotate", "-display_rotation", "90")),
  WEBM(Container.WEBM, "webm", spec().video(Video.VP9).audio(Audio.OPUS)),
  /** As a live recorder writes it: a Segment of unknown size and no Duration. */
  WEBM_LIVE(Container.WEBM, "webm", spec().video(Video.VP9).audio(Audio.OPUS).out("-live", "1")),
  AVI(Container.AVI, "avi", spec().video(Video.MPEG4).audio(Audio.MP3)),
  AVI_H264_PCM(Container.AVI, "avi", spec().audio(Audio.PCM)),
  MPEG_TS(Container.MPEG_TS, "ts", spec()),
  MPEG_TS_HEVC(Container.MPEG_TS, "ts", spec().video(Video.HEVC)),
  MPEG_TS_MPEG2(Container.MPEG_TS, "ts", spec().video(Video.MPEG2).audio(Audio.MP2)),
  MPEG_TS_LONG(Container.MPEG_TS, "ts", spec().rate("15").seconds(20)),
  /** Interlaced H.264: picture height counted in field pairs (frame_mbs_only_flag 0). */
  MPEG_TS_INTERLACED(Container.MPEG_TS, "ts", spec().size(160, 100).out("-flags", "+ildct+ilme")),
  /** High profile with custom quantisation matrices: the SPS carries scaling lists. */
  MPEG_TS_SCALING_MATRIX(Container.MPEG_TS, "ts", spec().out("-x264-params", "cqm=jvt")),
  /** Blu-ray/AVCHD style: 192-byte packets. */
  M2TS(Container.MPEG_TS, "m2ts", spec().audio(Audio.AC3).out("-mpegts_m2ts_mode", "1"));

  private final Container container;
  private final String extension;
  private final Spec spec;
  private volatile Path path;

  Clip(Container container, String extension, Spec spec) {
    this.container = container;
    this.extension = extension;
    this.spec = spec;
  }

  public Container container() {
    return container;
  }

  /** The clip's file, generated on first use. */
  public Path path() {
    Path p = path;
    if (p == null) {
      synchronized (this) {
        p = path;
        if (p == null) {
          p = folder().resolve(name().toLowerCase(java.util.Locale.ROOT) + "." + extension);
          Ffmpeg.get().run(spec.args(p), 120, TimeUnit.SECONDS);
          path = p;
        }
      }
    }
    return p;
  }

  public byte[] bytes() {
    try {
      return Files.readAllBytes(path());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- generation

  enum Video {
    H264("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    HEVC("-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p"),
    VP9("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p"),
    AV1("-c:v", "libsvtav1", "-preset", "12", "-pix_fmt", "yuv420p"),
    MPEG4("-c:v", "mpeg4"),
    MPEG2("-c:v", "mpeg2video");

    final List<String> args;

    Video(String... args) {
      this.args = List.of(args);
    }
  }

  enum Audio {
    AAC("-c:a", "aac"),
    OPUS("-c:a", "libopus"),
    MP3("-c:a", "libmp3lame"),
    MP2("-c:a", "mp2"),
    AC3("-c:a", "ac3"),
    PCM("-c:a", "pcm_s16le");

    final List<String> args;

    Audio(String... args) {
      this.args = List.of(args);
    }
  }

  private static Spec spec() {
    return new Spec();
  }

  /** One ffmpeg command: lavfi sources in, the chosen encoders and muxer options out. */
  static final class Spec {
    private int width = 160;
    private int height = 90;
    private String rate = "25";
    private int seconds = 1;
    private Video video = Video.H264;
    private Audio audio = Audio.AAC;
    private int audioTracks = 1;
    private final List<String> inputOptions = new ArrayList<>();
    private final List<String> outputOptions = new ArrayList<>();

    Spec size(int w, int h) {
      width = w;
      height = h;
      return this;
    }

    Spec rate(String r) {
      rate = r;
      return this;
    }

    Spec seconds(int s) {
      seconds = s;
      return this;
    }

    Spec video(Video v) {
      video = v;
      return this;
    }

    Spec audio(Audio a) {
      audio = a;
      return this;
    }

    Spec noAudio() {
      audioTracks = 0;
      return this;
    }

    Spec audioTracks(int n) {
      audioTracks = n;
      return this;
    }

    Spec in(String... options) {
      inputOptions.addAll(List.of(options));
      return this;
    }

    Spec out(String... options) {
      outputOptions.addAll(List.of(options));
      return this;
    }

    List<String> args(Path output) {
      List<String> a = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y", "-threads", "1"));
      a.addAll(inputOptions);
      a.addAll(List.of("-f", "lavfi", "-i",
          "testsrc2=size=" + width + "x" + height + ":rate=" + rate + ":duration=" + seconds));
      for (int i = 0; i < audioTracks; i++) {
        a.addAll(List.of("-f", "lavfi", "-i",
            "sine=frequency=" + (440 * (i + 1)) + ":sample_rate=48000:duration=" + seconds));
      }
      a.addAll(List.of("-map", "0:v"));
      for (int i = 0; i < audioTracks; i++) {
        a.addAll(List.of("-map", (i + 1) + ":a"));
      }
      a.addAll(video.args);
      if (audioTracks > 0) {
        a.addAll(audio.args);
      }
      a.addAll(outputOptions);
      a.add(output.toString());
      return a;
    }
  }

  private static volatile Path folder;

  private static Path folder() {
    Path f = folder;
    if (f == null) {
      synchronized (Clip.class) {
        f = folder;
        if (f == null) {
          try {
            f = Files.createTempDirectory("videopipe-clips");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          Path created = f;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(created)));
          folder = f;
        }
      }
    }
    return f;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
