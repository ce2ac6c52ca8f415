package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.VideoMetadata;

/**
 * The ladder table: which renditions each kind of source gets. A wrong rung is either an upscale
 * (wasted bytes, a blurrier picture than the source) or a distorted picture, and nothing later in
 * the pipeline would notice.
 */
class LadderPickerTest {

  private static VideoMetadata source(int width, int height, int rotation, double fps, int audioTracks) {
    return new VideoMetadata(Container.MP4, 30, width, height, rotation, fps, "h264",
        audioTracks > 0 ? "aac" : null, 5_000_000, audioTracks);
  }

  private static String shapes(TranscodePlan plan) {
    return String.join(" ", plan.renditions().stream()
        .map(o -> o.name() + "=" + o.width() + "x" + o.height() + "@" + (o.frameRate() == null ? "src" : o.frameRate()))
        .toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      1080p landscape      | 1920 | 1080 |   0 | 30    | 1080p=1920x1080@src 720p=1280x720@src 480p=854x480@src 360p=640x360@src
      4K                   | 3840 | 2160 |   0 | 25    | 1080p=1920x1080@src 720p=1280x720@src 480p=854x480@src 360p=640x360@src
      720p never upscaled  | 1280 |  720 |   0 | 30    | 720p=1280x720@src 480p=854x480@src 360p=640x360@src
      portrait as coded    | 1080 | 1920 |   0 | 30    | 1080p=1080x1920@src 720p=720x1280@src 480p=480x854@src 360p=360x640@src
      phone held upright   | 1920 | 1080 |  90 | 30    | 1080p=1080x1920@src 720p=720x1280@src 480p=480x854@src 360p=360x640@src
      upside down          | 1280 |  720 | 180 | 30    | 720p=1280x720@src 480p=854x480@src 360p=640x360@src
      rotated 270          | 1280 |  720 | 270 | 30    | 720p=720x1280@src 480p=480x854@src 360p=360x640@src
      240p below every rung|  426 |  240 |   0 | 30    | 240p=426x240@src
      tiny odd clip        |  161 |   91 |   0 | 30    | 90p=160x90@src
      odd sizes            | 1917 | 1079 |   0 | 30    | 720p=1280x720@src 480p=852x480@src 360p=640x360@src
      60 fps               | 1920 | 1080 |   0 | 60    | 1080p=1920x1080@src 720p=1280x720@src 480p=854x480@30 360p=640x360@30
      59.94 fps            | 1280 |  720 |   0 | 59.94 | 720p=1280x720@src 480p=854x480@30000/1001 360p=640x360@30000/1001
      120 fps              | 1280 |  720 |   0 | 120   | 720p=1280x720@60 480p=854x480@30 360p=640x360@30
      24 fps stays 24      | 1280 |  720 |   0 | 23.976| 720p=1280x720@src 480p=854x480@src 360p=640x360@src
      ultra-wide           | 2560 | 1080 |   0 | 30    | 1080p=2560x1080@src 720p=1706x720@src 480p=1138x480@src 360p=854x360@src
      square               | 1080 | 1080 |   0 | 30    | 1080p=1080x1080@src 720p=720x720@src 480p=480x480@src 360p=360x360@src
      4:3 SD               |  640 |  480 |   0 | 25    | 480p=640x480@src 360p=480x360@src
      """)
  void picksTheRungsThatFitTheSource(String why, int width, int height, int rotation, double fps, String expected) {
    assertThat(shapes(LadderPicker.pick(source(width, height, rotation, fps, 1), Ladder.DEFAULT))).isEqualTo(expected);
  }

  @Test
  void everyDimensionIsEvenAndWithinTheSource() {
    for (int w = 100; w < 700; w += 37) {
      for (int h = 90; h < 500; h += 29) {
        for (int rotation : new int[] {0, 90}) {
          VideoMetadata s = source(w, h, rotation, 30, 1);
          for (TranscodePlan.Output o : LadderPicker.pick(s, Ladder.DEFAULT).renditions()) {
            assertThat(o.width() % 2).as("%s from %dx%d", o, w, h).isZero();
            assertThat(o.height() % 2).as("%s from %dx%d", o, w, h).isZero();
            assertThat(o.width()).as("%s from %dx%d", o, w, h).isLessThanOrEqualTo(s.displayWidth());
            assertThat(o.height()).as("%s from %dx%d", o, w, h).isLessThanOrEqualTo(s.displayHeight());
            double sourceAspect = (double) s.displayWidth() / s.displayHeight();
            double aspect = (double) o.width() / o.height();
            assertThat(Math.abs(aspect - sourceAspect) / sourceAspect).as("%s from %dx%d", o, w, h).isLessThan(0.03);
          }
        }
      }
    }
  }

  @Test
  void keepsAudioWhenTheSourceHasIt() {
    TranscodePlan plan = LadderPicker.pick(source(1280, 720, 0, 30, 2), Ladder.DEFAULT);
    assertThat(plan.audio()).isTrue();
    assertThat(plan.audioBitrate()).isEqualTo(128_000);
  }

  @Test
  void makesVideoOnlyRenditionsForASilentSource() {
    TranscodePlan plan = LadderPicker.pick(source(1280, 720, 0, 30, 0), Ladder.DEFAULT);
    assertThat(plan.audio()).isFalse();
    assertThat(plan.renditions()).hasSize(3);
  }

  @Test
  void usesEachRungsBitrate() {
    TranscodePlan plan = LadderPicker.pick(source(1920, 1080, 0, 30, 1), Ladder.DEFAULT);
    assertThat(plan.renditions()).extracting(TranscodePlan.Output::maxBitrate)
        .containsExactly(6_000_000L, 3_500_000L, 1_500_000L, 800_000L);
  }

  @Test
  void scalesTheSmallestRungsBitrateDownForATinySource() {
    TranscodePlan plan = LadderPicker.pick(source(320, 180, 0, 30, 1), Ladder.DEFAULT);
    assertThat(plan.renditions()).singleElement().satisfies(o -> {
      assertThat(o.name()).isEqualTo("180p");
      assertThat(o.maxBitrate()).isEqualTo(200_000L);
    });
  }

  @Test
  void placesThePosterATenthIntoTheVideoAtMostTheTopRenditionsSize() {
    VideoMetadata s = new VideoMetadata(Container.MP4, 60, 3840, 2160, 0, 30, "h264", "aac", 1, 1);
    TranscodePlan.Poster poster = LadderPicker.pick(s, Ladder.DEFAULT).poster();
    assertThat(poster).isEqualTo(new TranscodePlan.Poster(1280, 720, 6, 2, 80));
  }

  @Test
  void takesTheFirstFrameAsPosterOfAClipUnderTwoSeconds() {
    VideoMetadata s = new VideoMetadata(Container.MP4, 1, 160, 90, 0, 25, "h264", null, 1, 0);
    TranscodePlan.Poster poster = LadderPicker.pick(s, Ladder.DEFAULT).poster();
    assertThat(poster).isEqualTo(new TranscodePlan.Poster(160, 90, 1, 1, 80));
  }

  @Test
  void posterOfAPortraitSourceIsPortrait() {
    TranscodePlan.Poster poster = LadderPicker.pick(source(1920, 1080, 90, 30, 1), Ladder.DEFAULT).poster();
    assertThat(poster.width()).isEqualTo(720);
    assertThat(poster.height()).isEqualTo(1280);
  }

  @Test
  void followsAConfiguredLadder() {
    Ladder ladder = Ladder.parse("360:700000, 720p:2500000:30, 540:1800000");
    assertThat(ladder.rungs()).extracting(Ladder.Rung::size).containsExactly(720, 540, 360);
    assertThat(shapes(LadderPicker.pick(source(1920, 1080, 0, 50, 1), ladder)))
        .isEqualTo("720p=1280x720@25 540p=960x540@src 360p=640x360@src");
  }

  @Test
  void refusesAMalformedLadderNamingTheRung() {
    assertThatThrownBy(() -> Ladder.parse("1080:6M")).hasMessageContaining("'1080:6M'");
    assertThatThrownBy(() -> Ladder.parse("720:1000000,720:2000000")).hasMessageContaining("two 720p");
    assertThatThrownBy(() -> Ladder.parse(" , ")).hasMessageContaining("at least one rung");
    assertThatThrownBy(() -> Ladder.parse("720:10")).hasMessageContaining("bitrate");
  }

  @Test
  void fingerprintChangesWithTheLadder() {
    assertThat(Ladder.parse("720:3500000").fingerprint()).isNotEqualTo(Ladder.parse("720:3000000").fingerprint());
    assertThat(Ladder.parse("720:3500000,360:800000").fingerprint())
        .isEqualTo(Ladder.parse("360:800000,720:3500000").fingerprint());
  }

  @ParameterizedTest
  @CsvSource({"29.97, 30000/1001", "59.94, 60000/1001", "23.976, 24000/1001", "25, 25", "12.5, 25/2", "30.0, 30",
      "14.985, 15000/1001", "17.3, 173/10"})
  void readsExactFrameRates(double fps, String exact) {
    assertThat(FrameRate.of(fps).toString()).isEqualTo(exact);
  }

  @Test
  void alwaysPicksAtLeastOneRendition() {
    for (int size = 2; size < 400; size += 7) {
      assertThat(LadderPicker.pick(source(size, size, 0, 30, 0), Ladder.DEFAULT).renditions()).isNotEmpty();
    }
    assertThat(List.of(LadderPicker.pick(source(2, 2, 0, 30, 0), Ladder.DEFAULT).top()))
        .extracting(TranscodePlan.Output::width).containsExactly(2);
  }

  @Test
  void leavesAnUnknownFrameRateToTheSource() {
    assertThat(shapes(LadderPicker.pick(source(1280, 720, 0, 0, 1), Ladder.DEFAULT)))
        .isEqualTo("720p=1280x720@src 480p=854x480@src 360p=640x360@src");
    assertThat(shapes(LadderPicker.pick(source(640, 360, 0, Double.NaN, 1), Ladder.DEFAULT)))
        .isEqualTo("360p=640x360@src");
  }
}
