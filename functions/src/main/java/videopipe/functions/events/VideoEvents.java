package videopipe.functions.events;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.AwsErrors;
import videopipe.functions.TransientFailure;
import videopipe.functions.catalog.VideoItem;

/**
 * The pipeline's own events on the project's bus ({@code source: videopipe}): {@code Video Ready}
 * and {@code Video Failed}, for creators' notifications and whatever else subscribes. Delivery is
 * at least once (a retried publish sends again), so each carries the videoId and status to dedupe on.
 */
public final class VideoEvents {

  public static final String SOURCE = "videopipe";
  public static final String VIDEO_READY = "Video Ready";
  public static final String VIDEO_FAILED = "Video Failed";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final EventBridgeClient events;
  private final String bus;

  public VideoEvents(EventBridgeClient events, String bus) {
    this.events = events;
    this.bus = bus;
  }

  public void ready(VideoItem video) {
    Map<String, Object> detail = base(video);
    detail.put("outputs", video.outputs());
    detail.put("captions", video.captions());
    put(VIDEO_READY, video, detail);
  }

  public void failed(VideoItem video) {
    Map<String, Object> detail = base(video);
    detail.put("error", video.error());
    detail.put("executionArn", video.executionArn());
    put(VIDEO_FAILED, video, detail);
  }

  private static Map<String, Object> base(VideoItem video) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("videoId", video.videoId());
    detail.put("ownerId", video.ownerId());
    detail.put("status", video.status().name());
    return detail;
  }

  private void put(String detailType, VideoItem video, Map<String, Object> detail) {
    String json = JSON.writeValueAsString(detail);
    PutEventsResponse r;
    try {
      r = events.putEvents(b -> b.entries(e -> e.eventBusName(bus).source(SOURCE).detailType(detailType)
          .resources(video.videoId()).detail(json)));
    } catch (SdkException e) {
      throw AwsErrors.classify("putting '" + detailType + "' for video " + video.videoId(), e);
    }
    if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
      PutEventsResultEntry entry = r.entries().get(0);
      // PutEvents reports per-entry failures in a 200 response; they are throttling or internal errors.
      throw new TransientFailure("EventBridge refused '" + detailType + "' for video " + video.videoId() + ": "
          + entry.errorCode() + " " + entry.errorMessage(), null);
    }
  }
}
