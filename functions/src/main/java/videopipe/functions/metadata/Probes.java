package videopipe.functions.metadata;

import org.jspecify.annotations.Nullable;

/** What every container's probe does the same way once it has read its fields. */
final class Probes {
  private Probes() {}

  /** Above this a frame rate is a lie: high-speed phone capture stops at 960 fps. */
  private static final double MAX_FRAME_RATE = 1000;
  /** Above this a picture dimension is a lie: the largest codec levels stop at 16384. */
  private static final int MAX_DIMENSION = 65_535;

  /**
   * Checks the values a file gave us against what any real video can have, derives the bit rate,
   * and builds the metadata. Hostile files reach here with zero, negative, NaN or absurd numbers.
   */
  static VideoMetadata metadata(Container container, long size, double durationSeconds, int width, int height,
      int rotation, double frameRate, String videoCodec, @Nullable String audioCodec, int audioTracks) {
    if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
      throw UnreadableVideoException.corrupt("the file states a duration of " + durationSeconds + " seconds");
    }
    if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw UnreadableVideoException.corrupt("the video states a picture of " + width + "×" + height + " pixels");
    }
    if (!(frameRate > 0) || frameRate > MAX_FRAME_RATE) {
      throw UnreadableVideoException.corrupt("the video states a frame rate of " + frameRate + " frames per second");
    }
    long bitrate = Math.round(size * 8 / durationSeconds);
    return new VideoMetadata(container, durationSeconds, width, height, rotation, frameRate, videoCodec, audioCodec,
        bitrate, audioTracks);
  }

  /** A clockwise angle in degrees snapped to the nearest quarter turn, in [0, 360). */
  static int quarterTurns(double degrees) {
    if (!Double.isFinite(degrees)) {
      return 0;
    }
    long quarters = Math.round(degrees / 90.0);
    return (int) (((quarters % 4) + 4) % 4) * 90;
  }
}
