package videopipe.functions.failure;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ExecutionStatusChange;
import videopipe.functions.events.ObjectCreated;
import videopipe.functions.events.SourceKey;
import videopipe.functions.events.VideoEvents;

/**
 * {@code recordFailure}: run by the rule on {@code video-ingest}'s status changes to FAILED,
 * TIMED_OUT or ABORTED. Finds the video from the execution's input (the S3 event), marks it
 * FAILED with the error, cause and execution ARN, and announces {@code Video Failed}. It never
 * throws for an event it cannot use (EventBridge would only retry it): it says why and moves on.
 */
public final class RecordFailure implements Function<EventBridgeEvent<ExecutionStatusChange>, FailureRecord> {

  private static final Set<String> FAILURES = Set.of("FAILED", "TIMED_OUT", "ABORTED");
  /** Causes can be whole stack traces; the catalog keeps the start, the execution history has the rest. */
  static final int MAX_CAUSE_CHARS = 4096;

  private static final Logger log = LoggerFactory.getLogger(RecordFailure.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** The execution's input: the S3 event that started it, its detail typed (not a Map). */
  private static final TypeReference<EventBridgeEvent<ObjectCreated>> S3_EVENT = new TypeReference<>() {};

  private final Catalog catalog;
  private final VideoEvents events;

  public RecordFailure(Catalog catalog, VideoEvents events) {
    this.catalog = catalog;
    this.events = events;
  }

  @Override
  public FailureRecord apply(EventBridgeEvent<ExecutionStatusChange> event) {
    if (event == null || event.detail() == null || event.detail().executionArn() == null) {
      return ignored(null, "the event has no 'detail.executionArn'");
    }
    ExecutionStatusChange d = event.detail();
    if (!FAILURES.contains(d.status())) {
      return ignored(null, "execution " + d.executionArn() + " is " + d.status() + ", not a failure");
    }
    Optional<String> videoId = videoOf(d.input());
    if (videoId.isEmpty()) {
      return ignored(null, "execution " + d.executionArn() + " was not started by an upload under uploads/");
    }
    String error = d.error() != null ? d.error() : switch (d.status()) {
      case "TIMED_OUT" -> "States.Timeout";
      case "ABORTED" -> "Aborted";
      default -> "Unknown";
    };
    String cause = d.cause() == null ? "" : d.cause().length() <= MAX_CAUSE_CHARS ? d.cause()
        : d.cause().substring(0, MAX_CAUSE_CHARS) + "…";
    Optional<VideoItem> failed = catalog.markFailed(videoId.get(), d.executionArn(), error, cause);
    if (failed.isEmpty()) {
      String why = catalog.get(videoId.get())
          .map(v -> "video " + v.videoId() + " is " + v.status()
              + (v.claimedBy() != null && !v.claimedBy().equals(d.executionArn()) ? ", claimed by " + v.claimedBy() : ""))
          .orElse("video " + videoId.get() + " does not exist");
      return ignored(videoId.get(), why);
    }
    events.failed(failed.get());
    return new FailureRecord.Recorded(videoId.get(), d.executionArn(), error);
  }

  private static Optional<String> videoOf(String input) {
    if (input == null || input.isBlank()) {
      return Optional.empty();
    }
    try {
      EventBridgeEvent<ObjectCreated> s3 = JSON.readValue(input, S3_EVENT);
      if (s3 == null || s3.detail() == null || s3.detail().object() == null || s3.detail().object().key() == null) {
        return Optional.empty();
      }
      return SourceKey.decode(s3.detail().object().key()).flatMap(SourceKey::parse).map(SourceKey::videoId);
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static FailureRecord ignored(String videoId, String why) {
    log.info("recordFailure ignored an event: {}", why);
    return new FailureRecord.Ignored(videoId, why);
  }
}
