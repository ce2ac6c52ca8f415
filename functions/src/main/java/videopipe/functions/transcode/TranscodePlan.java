package videopipe.functions.transcode;

import java.util.List;

/**
 * What one source is transcoded to: the renditions (tallest first; the first also makes the MP4),
 * whether they carry audio, and the poster.
 *
 * @param renditions at least one
 * @param audio whether the source has audio: without it every output is video-only (MediaConvert
 *     fails a job whose audio selector finds nothing)
 * @param audioBitrate the AAC bitrate when {@code audio}
 * @param poster the thumbnail
 */
public record TranscodePlan(List<Output> renditions, boolean audio, int audioBitrate, Poster poster) {

  public TranscodePlan {
    if (renditions.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one rendition");
    }
    renditions = List.copyOf(renditions);
  }

  /**
   * One rendition.
   *
   * @param name e.g. {@code 720p}; also the HLS name modifier ({@code index_720p.m3u8})
   * @param width display width, even
   * @param height display height, even
   * @param maxBitrate QVBR ceiling, bit/s
   * @param frameRate null: the source's own rate (no conversion); else the rate to convert to
   */
  public record Output(String name, int width, int height, long maxBitrate, FrameRate frameRate) {}

  /**
   * The poster: one JPEG at {@code atSecond} into the video (MediaConvert's frame capture takes the
   * first frame, then one every {@code atSecond} seconds; with {@code captures} = 2 the last one, the
   * poster, is at {@code atSecond}: the first frame is often black).
   */
  public record Poster(int width, int height, int atSecond, int captures, int quality) {}

  public Output top() {
    return renditions.get(0);
  }
}
