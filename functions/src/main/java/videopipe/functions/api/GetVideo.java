package videopipe.functions.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.VideoItem;
import videopipe.functions.catalog.VideoStatus;

/**
 * {@code GET /videos/{videoId}}: the caller's video, with its status, the probe's metadata once
 * known, the reason of a rejection or the error of a failure, and, once READY, short-lived
 * presigned GET URLs for the playlist, the MP4, the thumbnail and the captions. The cause of a
 * failure (stack traces, ARNs) is for operators and is not shown.
 */
public final class GetVideo implements Function<HttpApiRequest, HttpApiResponse> {

  private final Catalog catalog;
  private final UploadStorage storage;
  private final String mediaBucket;
  private final Clock clock;
  private final Function<HttpApiRequest, HttpApiResponse> route;

  GetVideo(Catalog catalog, UploadStorage storage, String mediaBucket, Clock clock) {
    this.catalog = catalog;
    this.storage = storage;
    this.mediaBucket = mediaBucket;
    this.clock = clock;
    this.route = HttpRoutes.authenticated(this::handle);
  }

  @Override
  public HttpApiResponse apply(HttpApiRequest request) {
    return route.apply(request);
  }

  private HttpApiResponse handle(String owner, HttpApiRequest request) {
    VideoItem v = Videos.own(catalog, owner, request.pathParameter("videoId"));
    Responses.Rejection rejection = v.status() == VideoStatus.REJECTED
        ? new Responses.Rejection(v.rejectReason(), v.rejectDetail()) : null;
    Responses.Failure failure = v.status() == VideoStatus.FAILED ? new Responses.Failure(v.error()) : null;
    Responses.Media media = v.status() == VideoStatus.READY ? media(v) : null;
    return HttpRoutes.ok(200, new Responses.Video(v.videoId(), v.status().name(), v.fileName(), v.contentType(),
        v.declaredBytes(), str(v.createdAt()), str(v.updatedAt()), v.metadata(), rejection, failure, media,
        automaticCaptions(v)));
  }

  private static Responses.AutomaticCaptions automaticCaptions(VideoItem v) {
    Map<String, Object> a = v.automaticCaptions();
    return a == null || a.get("status") == null ? null
        : new Responses.AutomaticCaptions(String.valueOf(a.get("status")), a.get("reason") == null ? null : String.valueOf(a.get("reason")));
  }

  private Responses.Media media(VideoItem v) {
    Map<String, Object> outputs = v.outputs() == null ? Map.of() : v.outputs();
    String bucket = outputs.get("bucket") instanceof String b ? b : mediaBucket;
    List<Responses.CaptionLink> captions = new ArrayList<>();
    List<Object> tracks = new ArrayList<>();
    if (v.captions() != null) {
      tracks.addAll(v.captions());
    }
    if (v.automaticCaptions() != null && v.automaticCaptions().get("track") instanceof Map<?, ?> automatic) {
      tracks.add(automatic);
    }
    for (Object c : tracks) {
      if (c instanceof Map<?, ?> m && m.get("key") instanceof String key
          && captions.stream().noneMatch(l -> l.lang().equals(String.valueOf(m.get("lang"))))) {
        captions.add(new Responses.CaptionLink(String.valueOf(m.get("lang")),
            m.get("label") == null ? null : String.valueOf(m.get("label")), storage.presignGet(bucket, key)));
      }
    }
    return new Responses.Media(clock.instant().plus(storage.downloadTtl()).toString(),
        url(bucket, outputs.get("playlistKey")), url(bucket, outputs.get("mp4Key")),
        url(bucket, outputs.get("thumbnailKey")), captions);
  }

  private String url(String bucket, Object key) {
    return key instanceof String k && !k.isEmpty() ? storage.presignGet(bucket, k) : null;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
