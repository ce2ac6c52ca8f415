package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import videopipe.functions.testing.CountingByteSource;
import videopipe.functions.testing.FfprobeReport;

/**
 * The design's "Probe" number: validate + probe read at most 512 KiB of an upload at any size and
 * duration. An 81-minute movie's moov holds about 4 MB of sample tables, which ffprobe reads in
 * full even when the moov comes first; we must skip them in both layouts.
 */
class LongMovieBudgetTest {

  private static final int HEAD = VideoProbe.HEAD_BYTES;
  private static final byte[] FAST_START = LongMovie.fastStart();
  private static final byte[] MOOV_AT_END = LongMovie.moovAtEnd();

  private static long bytesToProbe(byte[] movie, CountingByteSource source) {
    new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
    return HEAD + source.bytesRead();
  }

  @Test
  void theSyntheticMovieHasMegabytesOfSampleTables() {
    assertThat(FAST_START.length).isGreaterThan(4_000_000);
  }

  @Test
  void readsAtMost512KiBOfAnEightyOneMinuteFastStartMovie() {
    assertThat(bytesToProbe(FAST_START, CountingByteSource.of(FAST_START))).isLessThanOrEqualTo(512 * 1024);
  }

  @Test
  void readsAtMost512KiBOfAnEightyOneMinuteMovieWithMoovAtEnd() {
    assertThat(bytesToProbe(MOOV_AT_END, CountingByteSource.of(MOOV_AT_END))).isLessThanOrEqualTo(512 * 1024);
  }

  @Test
  void readsAnEightyOneMinuteFastStartMovieInAHandfulOfReads() {
    CountingByteSource source = CountingByteSource.of(FAST_START);
    bytesToProbe(FAST_START, source);
    assertThat(source.reads()).isLessThanOrEqualTo(8);
  }

  @Test
  void readsAnEightyOneMinuteMovieWithMoovAtEndInAHandfulOfReads() {
    CountingByteSource source = CountingByteSource.of(MOOV_AT_END);
    bytesToProbe(MOOV_AT_END, source);
    assertThat(source.reads()).isLessThanOrEqualTo(8);
  }

  @Test
  void takesTheFrameCountOfAVariableFrameRateMovieFromTheStszHeader() {
    VideoMetadata metadata = new VideoProbe().probe(CountingByteSource.of(MOOV_AT_END), Container.MP4);
    assertThat(metadata.frameRate()).isCloseTo(30000 / 1001.0, within(0.001));
  }

  @Test
  void describesTheEightyOneMinuteMovieAsFfprobeDoes(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("long.mp4"), FAST_START);
    FfprobeReport ffprobe = FfprobeReport.of(file);
    VideoMetadata ours = new VideoProbe().probe(CountingByteSource.of(FAST_START), Container.MP4);
    assertThat(ours.durationSeconds()).isCloseTo(ffprobe.duration(), within(0.1)); // ffprobe adds the ctts shift
    assertThat(ours.durationSeconds()).isCloseTo(LongMovie.MINUTES * 60.0, within(0.05));
    assertThat(ours.frameRate()).isCloseTo(ffprobe.video().averageFrameRate(), within(0.01));
    assertThat(ours.width()).isEqualTo(ffprobe.video().width());
    assertThat(ours.height()).isEqualTo(ffprobe.video().height());
    assertThat(ours.audioCodec()).isEqualTo(ffprobe.audioCodec());
  }
}
