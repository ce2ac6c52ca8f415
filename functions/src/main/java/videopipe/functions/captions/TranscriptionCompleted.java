package videopipe.functions.captions;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.events.EventBridgeEvent;

/**
 * {@code transcriptionCompleted}: the rule on {@code Transcribe Job State Change} (COMPLETED,
 * FAILED, jobs named for this stack) invokes it. It attaches the job's WebVTT subtitles as the
 * video's automatic captions ({@link AutomaticCaptions#attach}) and records the outcome in the
 * catalog's {@code automaticCaptions}, whatever the video's status: Transcribe may finish before
 * or after the video is READY, and the track stands beside the sidecar ones either way.
 *
 * <p>EventBridge invokes it asynchronously and would only retry a throw, so an event it cannot use
 * (another stack's job, an unknown video) is answered {@code IGNORED} with the reason, never thrown.
 */
public final class TranscriptionCompleted
    implements Function<EventBridgeEvent<TranscriptionJobStateChange>, Captions.Automatic> {

  private static final Logger log = LoggerFactory.getLogger(TranscriptionCompleted.class);
  public static final String IGNORED = "IGNORED";

  private final Catalog catalog;
  private final AutomaticCaptions automatic;

  public TranscriptionCompleted(Catalog catalog, AutomaticCaptions automatic) {
    this.catalog = catalog;
    this.automatic = automatic;
  }

  @Override
  public Captions.Automatic apply(EventBridgeEvent<TranscriptionJobStateChange> event) {
    TranscriptionJobStateChange d = event == null ? null : event.detail();
    if (d == null || d.transcriptionJobName() == null || d.transcriptionJobStatus() == null) {
      return ignored(null, "not a Transcribe job state change (no detail.TranscriptionJobName/Status)");
    }
    if (!automatic.isEnabled()) {
      return ignored(d.transcriptionJobName(), "automatic captions are off for this stack");
    }
    String videoId = automatic.videoIdOf(d.transcriptionJobName());
    if (videoId == null) {
      return ignored(d.transcriptionJobName(), "not a job of this stack");
    }
    VideoItem video = catalog.get(videoId).orElse(null);
    if (video == null) {
      return ignored(d.transcriptionJobName(), "no such video in the catalog");
    }
    Captions.Automatic outcome = switch (d.transcriptionJobStatus()) {
      case "FAILED" -> new Captions.Automatic(AutomaticCaptions.FAILED, "Amazon Transcribe job "
          + d.transcriptionJobName() + " failed: " + d.failureReason(), d.transcriptionJobName(), null);
      case "COMPLETED" -> automatic.attach(videoId, automatic.job(d.transcriptionJobName()), sidecars(video));
      default -> null;
    };
    if (outcome == null) {
      return ignored(d.transcriptionJobName(), "status " + d.transcriptionJobStatus() + " is not final");
    }
    if (!catalog.recordAutomaticCaptions(videoId, outcome)) {
      return ignored(d.transcriptionJobName(), "video " + videoId + " was rejected or removed meanwhile");
    }
    log.info("video {}: automatic captions {}: {}", videoId, outcome.status(), outcome.reason());
    return outcome;
  }

  /** The languages of the creator's own tracks, which win over automatic ones. */
  static Set<String> sidecars(VideoItem video) {
    Set<String> langs = new HashSet<>();
    if (video.captions() != null) {
      for (Object c : video.captions()) {
        if (c instanceof Map<?, ?> m && m.get("lang") instanceof String lang) {
          langs.add(lang);
        }
      }
    }
    return langs;
  }

  private static Captions.Automatic ignored(String job, String why) {
    log.info("transcription job {} ignored: {}", job, why);
    return new Captions.Automatic(IGNORED, why, job, null);
  }
}
