package videopipe.functions.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.ffmpeg.Ffmpeg;

/**
 * What ffprobe says about a file ({@code -show_streams -show_format -of json}): the reference our
 * probe is compared with. Only the fields the pipeline cares about are kept.
 */
public record FfprobeReport(double duration, long bitrate, List<Stream> streams) {

  /**
   * One stream. {@code rotation} is ffprobe's display-matrix rotation, counter-clockwise (0 when
   * there is no matrix); frame rates are 0 where ffprobe says "0/0".
   */
  public record Stream(String type, String codec, int width, int height, int rotation, double realFrameRate,
      double averageFrameRate, double duration) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static FfprobeReport of(Path file) {
    String out = Ffmpeg.get().probe(List.of("-v", "error", "-show_streams", "-show_format", "-of", "json",
        file.toString()), 60, TimeUnit.SECONDS);
    return parse(out);
  }

  /** Reads ffprobe's {@code -show_streams -show_format -of json} output. */
  public static FfprobeReport parse(String json) {
    JsonNode root = JSON.readTree(json);
    List<Stream> streams = new ArrayList<>();
    for (JsonNode s : root.path("streams")) {
      int rotation = 0;
      for (JsonNode side : s.path("side_data_list")) {
        if (side.has("rotation")) {
          rotation = side.path("rotation").asInt();
        }
      }
      streams.add(new Stream(s.path("codec_type").asString(""), s.path("codec_name").asString(""),
          s.path("width").asInt(0), s.path("height").asInt(0), rotation, rate(s.path("r_frame_rate").asString("0/0")),
          rate(s.path("avg_frame_rate").asString("0/0")), number(s.path("duration"))));
    }
    JsonNode format = root.path("format");
    return new FfprobeReport(number(format.path("duration")), (long) number(format.path("bit_rate")), streams);
  }

  public Stream video() {
    return streams.stream().filter(s -> s.type.equals("video")).findFirst().orElseThrow();
  }

  public List<Stream> audio() {
    return streams.stream().filter(s -> s.type.equals("audio")).toList();
  }

  public @Nullable String audioCodec() {
    return audio().isEmpty() ? null : audio().get(0).codec();
  }

  private static double rate(String fraction) {
    String[] parts = fraction.split("/");
    double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
    return den == 0 ? 0 : Double.parseDouble(parts[0]) / den;
  }

  private static double number(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? Double.NaN : Double.parseDouble(node.asString());
  }
}
