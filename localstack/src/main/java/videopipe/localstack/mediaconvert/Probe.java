package videopipe.localstack.mediaconvert;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.ffmpeg.Ffmpeg;

/** What ffprobe says of a file: its first video stream, audio presence and duration. */
record Probe(boolean hasVideo, boolean hasAudio, int width, int height, double durationSeconds, String profile,
    int level, double frameRate) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The probe of {@code file}, or null when ffprobe cannot read it. */
  static Probe of(Path file) {
    String out;
    try {
      out = Ffmpeg.get().probe(List.of("-v", "error", "-show_entries",
          "format=duration:stream=codec_type,width,height,profile,level,avg_frame_rate", "-of", "json",
          file.toString()), 60, TimeUnit.SECONDS);
    } catch (IllegalStateException unreadable) {
      return null;
    }
    JsonNode root = JSON.readTree(out);
    JsonNode video = null;
    boolean audio = false;
    for (JsonNode s : root.path("streams")) {
      if (video == null && s.path("codec_type").asString("").equals("video")) {
        video = s;
      } else if (s.path("codec_type").asString("").equals("audio")) {
        audio = true;
      }
    }
    double duration = parse(root.path("format").path("duration").asString("0"));
    if (video == null) {
      return new Probe(false, audio, 0, 0, duration, null, 0, 0);
    }
    String rate = video.path("avg_frame_rate").asString("0/1");
    double fps = 0;
    int slash = rate.indexOf('/');
    if (slash > 0) {
      double den = parse(rate.substring(slash + 1));
      fps = den == 0 ? 0 : parse(rate.substring(0, slash)) / den;
    }
    return new Probe(true, audio, video.path("width").asInt(), video.path("height").asInt(), duration,
        video.path("profile").asString(null), video.path("level").asInt(0), fps);
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
