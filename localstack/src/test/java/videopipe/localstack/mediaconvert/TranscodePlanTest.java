package videopipe.localstack.mediaconvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static videopipe.localstack.mediaconvert.MediaConvertWire.JSON;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings subset: what is read, how files are named, and that the rest is refused by name. */
class TranscodePlanTest {

  static TranscodePlan parse(String settings) {
    return TranscodePlan.parse(JSON.readTree(settings));
  }

  static String ladder() {
    return MediaConvertEmulatorTest.ladder("uploads/o/v/source.mov", "media/v/");
  }

  @Test
  void namesFilesFromTheInputWhenTheDestinationIsAFolder() {
    TranscodePlan plan = parse(ladder());
    assertThat(plan.groups().get(0).masterKey()).isEqualTo("media/v/source.m3u8");
    assertThat(FfmpegCommand.fileStem(plan.groups().get(0), plan.groups().get(0).outputs().get(1))).isEqualTo("source_90p");
    assertThat(plan.groups().get(1).baseKey()).isEqualTo("media/v/download");
  }

  @Test
  void decodesOnceAndSplitsIntoEveryOutput() {
    List<String> args = FfmpegCommand.build(parse(ladder()), Path.of("/in.mp4"), Path.of("/work"), false);
    assertThat(Collections.frequency(args, "-i")).isEqualTo(1);
    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertThat(graph).startsWith("[0:v]split=4[s0][s1][s2][s3];");
    assertThat(Collections.frequency(args, "-map")).isEqualTo(4 + 3);
    assertThat(args).contains("/work/g0/source_180p.m3u8", "/work/g0/source_90p_%05d.ts", "/work/g1/download.mp4",
        "/work/g2/poster.%07d.jpg");
  }

  @Test
  void mapsQvbrToACappedConstantQuality() {
    List<String> args = FfmpegCommand.build(parse(ladder()), Path.of("/in.mp4"), Path.of("/work"), false);
    int crf = args.indexOf("-crf");
    assertThat(args.subList(crf, crf + 6)).containsExactly("-crf", "23", "-maxrate", "600000", "-bufsize", "1200000");
  }

  @Test
  void refusesAnUnknownCodecByItsPath() {
    String settings = ladder().replaceFirst("\"codec\":\"AAC\",(\\s*\"aacSettings\":\\s*\\{\"bitrate\":64000)",
        "\"codec\":\"OPUS\",$1");
    assertThat(settings).contains("OPUS");
    assertThatThrownBy(() -> parse(settings)).hasMessage(
        "unsupported setting: outputGroups[0].outputs[1].audioDescriptions[0].codecSettings.codec = OPUS");
  }

  @Test
  void refusesAnUnknownFieldRatherThanDroppingIt() {
    String settings = ladder().replace("\"segmentLength\":1,", "\"segmentLength\":1,\"encryption\":{\"type\":\"AES128\"},");
    assertThatThrownBy(() -> parse(settings)).hasMessage(
        "unsupported setting: outputGroups[0].outputGroupSettings.hlsGroupSettings.encryption = {\"type\":\"AES128\"}");
  }

  @Test
  void refusesAnUnsupportedValueOfAKnownField() {
    String settings = ladder().replace("\"rateControlMode\":\"CBR\"", "\"rateControlMode\":\"CBR\",\"interlaceMode\":\"TOP_FIELD\"");
    assertThatThrownBy(() -> parse(settings)).hasMessage(
        "unsupported setting: outputGroups[0].outputs[1].videoDescription.codecSettings.h264Settings.interlaceMode = TOP_FIELD");
  }

  @Test
  void refusesDestinationsOutsideS3() {
    String settings = ladder().replace("\"destination\":\"s3://media/media/v/\"", "\"destination\":\"https://example.com/v/\"");
    assertThatThrownBy(() -> parse(settings)).hasMessageStartingWith(
        "unsupported setting: outputGroups[0].outputGroupSettings.hlsGroupSettings.destination");
  }

  @Test
  void refusesOutputsThatWouldOverwriteEachOther() {
    String settings = ladder().replace("\"nameModifier\":\"_90p\"", "\"nameModifier\":\"_180p\"");
    assertThatThrownBy(() -> parse(settings)).hasMessageContaining("outputGroups[0].outputs").hasMessageContaining("distinct nameModifiers");
  }
}
