package videopipe.functions.captions;

import java.util.List;
import videopipe.functions.publish.CaptionTrack;

/**
 * What attachCaptions did: the tracks now beside the renditions (for publishVideo), the sidecar
 * files it refused and why (the video publishes anyway), and the automatic captions' status.
 */
public record Captions(String videoId, List<CaptionTrack> captions, List<Rejected> rejected, Automatic automatic) {

  /** A sidecar refused: its file name, its language when the name gave one, the reason. */
  public record Rejected(String file, String lang, String reason) {}

  /**
   * Automatic captions: {@code UNAVAILABLE} (disabled for this stack, always so locally: never an
   * invented transcript), or Amazon Transcribe's job status ({@code STARTED}, {@code QUEUED},
   * {@code IN_PROGRESS}, {@code COMPLETED}, {@code FAILED}), with the reason.
   */
  public record Automatic(String status, String reason) {}
}
