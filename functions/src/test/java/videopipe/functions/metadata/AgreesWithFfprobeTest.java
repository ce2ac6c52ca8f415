package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;
import videopipe.functions.testing.FfprobeReport;

/**
 * Every container and layout the pipeline accepts, probed by us and by ffprobe: the transcode
 * step trusts our numbers where it used to run ffprobe, so they must be the same numbers.
 */
class AgreesWithFfprobeTest {

  private static final Map<Clip, FfprobeReport> FFPROBE = new EnumMap<>(Clip.class);
  private static final Map<Clip, VideoMetadata> OURS = new EnumMap<>(Clip.class);

  private static synchronized FfprobeReport ffprobe(Clip clip) {
    return FFPROBE.computeIfAbsent(clip, c -> FfprobeReport.of(c.path()));
  }

  private static synchronized VideoMetadata probe(Clip clip) {
    return OURS.computeIfAbsent(clip, c -> new VideoProbe().probe(CountingByteSource.of(c.path()), c.container()));
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void reportsTheDurationFfprobeReports(Clip clip) {
    assumeFalse(Double.isNaN(ffprobe(clip).duration()), "ffprobe states no duration for " + clip);
    assertThat(probe(clip).durationSeconds()).isCloseTo(ffprobe(clip).duration(), within(0.05));
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void reportsThePictureSizeFfprobeReports(Clip clip) {
    assertThat(probe(clip).width()).isEqualTo(ffprobe(clip).video().width());
    assertThat(probe(clip).height()).isEqualTo(ffprobe(clip).video().height());
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void reportsTheRotationFfprobeReportsTurnedClockwise(Clip clip) {
    assertThat(probe(clip).rotation()).isEqualTo(Math.floorMod(-ffprobe(clip).video().rotation(), 360));
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void reportsTheFrameRateFfprobeReports(Clip clip) {
    double expected = ffprobe(clip).video().realFrameRate();
    assertThat(probe(clip).frameRate()).isCloseTo(expected, within(expected * 0.01));
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void namesTheVideoCodecAsFfprobeDoes(Clip clip) {
    assertThat(probe(clip).videoCodec()).isEqualTo(ffprobe(clip).video().codec());
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void namesTheAudioCodecAsFfprobeDoes(Clip clip) {
    assertThat(probe(clip).audioCodec()).isEqualTo(ffprobe(clip).audioCodec());
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void countsTheAudioTracksFfprobeCounts(Clip clip) {
    assertThat(probe(clip).audioTracks()).isEqualTo(ffprobe(clip).audio().size());
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void reportsTheBitrateFfprobeReports(Clip clip) {
    assumeFalse(Double.isNaN(ffprobe(clip).duration()), "ffprobe states no bit rate for " + clip);
    assertThat((double) probe(clip).bitrate()).isCloseTo(ffprobe(clip).bitrate(), within(ffprobe(clip).bitrate() * 0.05));
  }

  @ParameterizedTest
  @EnumSource(Clip.class)
  void namesTheContainerTheFileDeclares(Clip clip) {
    assertThat(probe(clip).container()).isEqualTo(clip.container());
  }
}
