package videopipe.functions.transcode;

import java.util.ArrayList;
import java.util.List;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.transcode.Ladder.Rung;

/**
 * Picks the renditions for one source: a pure function of its metadata and the ladder.
 *
 * <ul>
 *   <li>A rung's size is the picture's SHORT side, so a phone video held upright (1080×1920 on
 *       screen) gets "1080p" as 1080×1920, not a 608×1080 letterbox: rungs compare to the source's
 *       short side after rotation, and renditions keep the source's orientation.
 *   <li>Never above the source: rungs taller than its short side are dropped (no upscaling); a
 *       source smaller than the smallest rung gets that rung scaled down to its own size, with the
 *       bitrate scaled by the pixel count, so there is always one rendition.
 *   <li>Aspect ratio kept, both sides even (H.264 4:2:0 needs it), rounded to the nearest even.
 *   <li>Never above the source's frame rate: a rung whose ceiling is below it gets the source's rate
 *       divided by the smallest whole number that fits (60 → 30, 59.94 → 29.97), which keeps motion
 *       even; otherwise the source's own rate.
 *   <li>A source without audio gets video-only renditions.
 * </ul>
 */
public final class LadderPicker {

  /** The poster is at most this tall (short side): a thumbnail, not a frame grab of 4K. */
  static final int POSTER_MAX_SIZE = 720;

  private LadderPicker() {}

  public static TranscodePlan pick(VideoMetadata source, Ladder ladder) {
    int w = source.displayWidth();
    int h = source.displayHeight();
    if (w < 2 || h < 2) {
      throw new IllegalArgumentException("the source is " + w + "×" + h + ": too small to transcode");
    }
    int shortSide = Math.min(w, h);
    // A probe that could not tell the rate (0, NaN) leaves it to MediaConvert: the source's own.
    double fps = source.frameRate();
    FrameRate sourceRate = fps > 0 && fps <= 1000 ? FrameRate.of(fps) : null;
    List<TranscodePlan.Output> outputs = new ArrayList<>();
    for (Rung rung : ladder.rungs()) {
      if (rung.size() <= shortSide) {
        outputs.add(output(rung.name(), w, h, rung.size(), rung.maxBitrate(), sourceRate, rung.maxFrameRate()));
      }
    }
    if (outputs.isEmpty()) {
      Rung smallest = ladder.smallest();
      int size = floorEven(shortSide);
      double pixels = (double) size * size / ((double) smallest.size() * smallest.size());
      long bitrate = Math.max(Ladder.MIN_BITRATE * 100, Math.round(smallest.maxBitrate() * pixels));
      outputs.add(output(size + "p", w, h, size, Math.min(bitrate, smallest.maxBitrate()), sourceRate,
          smallest.maxFrameRate()));
    }
    TranscodePlan.Output top = outputs.get(0);
    int posterSize = Math.min(POSTER_MAX_SIZE, Math.min(top.width(), top.height()));
    int[] poster = scaled(w, h, posterSize);
    // A tenth into the video, between 1 and 10 s; a clip under 2 s gets its first frame.
    int at = (int) Math.max(1, Math.min(10, Math.round(source.durationSeconds() / 10)));
    boolean longEnough = source.durationSeconds() >= 2;
    return new TranscodePlan(outputs, source.hasAudio(), ladder.audioBitrate(),
        new TranscodePlan.Poster(poster[0], poster[1], longEnough ? at : 1, longEnough ? 2 : 1, 80));
  }

  private static TranscodePlan.Output output(String name, int w, int h, int size, long bitrate, FrameRate source,
      int maxFps) {
    int[] dims = scaled(w, h, size);
    return new TranscodePlan.Output(name, dims[0], dims[1], bitrate, frameRate(source, maxFps));
  }

  /** Null when the source's rate fits: MediaConvert then keeps it exactly (no conversion). */
  static FrameRate frameRate(FrameRate source, int maxFps) {
    if (source == null || source.value() <= maxFps + 0.01) {
      return null;
    }
    int k = (int) Math.ceil(source.value() / maxFps - 0.0001);
    return source.dividedBy(k);
  }

  /** Scales {@code w×h} so that its short side is {@code size}, both sides even. */
  static int[] scaled(int w, int h, int size) {
    int shortSide = Math.min(w, h);
    int longSide = Math.max(w, h);
    int s = Math.min(even(size), floorEven(shortSide));
    int l = Math.min(even((double) longSide * s / shortSide), floorEven(longSide));
    return w <= h ? new int[] {s, l} : new int[] {l, s};
  }

  /** The even number at or below {@code v}, at least 2: an odd source side is never exceeded. */
  static int floorEven(int v) {
    return Math.max(2, v & ~1);
  }

  /** The nearest even number, at least 2. */
  static int even(double v) {
    return (int) Math.max(2, 2 * Math.round(v / 2));
  }
}
