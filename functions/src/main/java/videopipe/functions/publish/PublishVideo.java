package videopipe.functions.publish;

import java.util.List;
import java.util.function.Function;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.events.VideoEvents;

/**
 * {@code publishVideo}: the last state. Marks the video READY with its outputs and captions, then
 * announces it. Running twice is harmless: READY → READY is allowed, and the event goes out again
 * (at least once), since a first run may have stopped between the two.
 */
public final class PublishVideo implements Function<PublishRequest, Published> {

  private final Catalog catalog;
  private final VideoEvents events;

  public PublishVideo(Catalog catalog, VideoEvents events) {
    this.catalog = catalog;
    this.events = events;
  }

  @Override
  public Published apply(PublishRequest request) {
    if (request == null || blank(request.videoId()) || blank(request.executionArn())) {
      throw new IllegalArgumentException("publishVideo needs 'videoId' and 'executionArn'");
    }
    if (request.outputs() == null || blank(request.outputs().playlistKey())) {
      throw new IllegalArgumentException("publishVideo needs 'outputs.playlistKey' for video " + request.videoId());
    }
    List<CaptionTrack> captions = request.captions() == null ? List.of() : request.captions();
    VideoItem ready = catalog.markReady(request.videoId(), request.executionArn(), request.outputs(), captions);
    events.ready(ready);
    return new Published(ready.videoId(), ready.status().name());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
