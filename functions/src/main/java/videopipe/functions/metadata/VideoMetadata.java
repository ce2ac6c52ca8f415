package videopipe.functions.metadata;

import org.jspecify.annotations.Nullable;

/**
 * What the pipeline needs to know about an upload before transcoding it. A probe that returns
 * this found a video track: files without one end in {@link UnreadableVideoException} with
 * {@link UnreadableVideoException.Code#NO_VIDEO_STREAM}, so there is no {@code hasVideo} flag.
 *
 * @param container the container, as the file itself declares it (a Matroska file whose DocType is
 *     "webm" is {@link Container#WEBM} whatever its name)
 * @param durationSeconds the presentation duration of the whole file
 * @param width the coded picture width in pixels of the first video track, before rotation
 * @param height the coded picture height in pixels of the first video track, before rotation
 * @param rotation the clockwise rotation in degrees (0, 90, 180 or 270) a player applies before
 *     display: 90 for a phone held upright, as the legacy {@code rotate} tag says (ffprobe's
 *     display-matrix "rotation" is counter-clockwise: -90 there is 90 here)
 * @param frameRate the average frame rate of the first video track, e.g. 29.97
 * @param videoCodec the first video track's codec, named as ffprobe names it ("h264", "hevc",
 *     "vp9", "av1", "mpeg4", …); an unknown codec keeps the container's own identifier
 * @param audioCodec the first audio track's codec named as ffprobe names it ("aac", "opus", "mp3",
 *     …), or null when the file has no audio track: the only field that is legitimately absent
 * @param bitrate the overall bit rate in bits per second: the file size over the duration, which
 *     is what ffprobe reports for these containers too
 * @param audioTracks how many audio tracks the file has
 */
public record VideoMetadata(
    Container container,
    double durationSeconds,
    int width,
    int height,
    int rotation,
    double frameRate,
    String videoCodec,
    @Nullable String audioCodec,
    long bitrate,
    int audioTracks) {

  public boolean hasAudio() {
    return audioTracks > 0;
  }

  /** The width a viewer sees: the height when the picture is turned a quarter. */
  public int displayWidth() {
    return rotation % 180 == 0 ? width : height;
  }

  /** The height a viewer sees: the width when the picture is turned a quarter. */
  public int displayHeight() {
    return rotation % 180 == 0 ? height : width;
  }
}
