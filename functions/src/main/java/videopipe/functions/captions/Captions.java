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
   * Automatic captions, as recorded in the catalog ({@code automaticCaptions}): {@code UNAVAILABLE}
   * (off for this stack, always so locally: never an invented transcript), {@code STARTED}, Amazon
   * Transcribe's own {@code QUEUED}/{@code IN_PROGRESS}, {@code ATTACHED} (with the track, a WebVTT
   * file beside the sidecars), {@code FAILED} or {@code REJECTED}, always with the reason.
   *
   * @param job the Transcribe job's name, when there is one
   * @param track the attached track ({@code ATTACHED} only)
   */
  public record Automatic(String status, String reason, String job, CaptionTrack track) {

    public Automatic(String status, String reason) {
      this(status, reason, null, null);
    }
  }
}
