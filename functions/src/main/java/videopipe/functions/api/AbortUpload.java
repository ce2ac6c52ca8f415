package videopipe.functions.api;

import java.util.function.Function;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.UploadState;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.SourceKey;

/**
 * {@code DELETE /uploads/{videoId}}: the creator gives up on an upload that has not arrived. A
 * multipart upload is aborted in S3 (its parts are deleted); the item becomes {@code ABORTED},
 * which no execution can claim, so bytes that still arrive through a single-PUT URL before it
 * expires are never processed. Aborting twice answers 204 again; an upload that already arrived
 * is a 409.
 */
public final class AbortUpload implements Function<HttpApiRequest, HttpApiResponse> {

  private final Catalog catalog;
  private final UploadStorage storage;
  private final Function<HttpApiRequest, HttpApiResponse> route;

  AbortUpload(Catalog catalog, UploadStorage storage) {
    this.catalog = catalog;
    this.storage = storage;
    this.route = HttpRoutes.authenticated(this::handle);
  }

  @Override
  public HttpApiResponse apply(HttpApiRequest request) {
    return route.apply(request);
  }

  private HttpApiResponse handle(String owner, HttpApiRequest request) {
    UploadState state = Videos.ownUpload(catalog, owner, request.pathParameter("videoId"));
    if (state.status() == VideoStatus.ABORTED) {
      return HttpApiResponse.noContent();
    }
    String key = SourceKey.of(owner, state.videoId());
    if (state.status() != VideoStatus.AWAITING_UPLOAD || state.uploadedAt() != null
        || (!state.session().isMultipart() && storage.exists(key))) {
      throw ApiError.ALREADY_COMPLETED.because("the video was already uploaded; it can no longer be aborted");
    }
    if (state.session().isMultipart()) {
      storage.abort(key, state.session().multipartUploadId());
    }
    if (catalog.abort(state.videoId(), owner).isEmpty()) {
      // Lost a race with the upload's completion (or its validation): the video is on its way.
      throw ApiError.ALREADY_COMPLETED.because("the video was already uploaded; it can no longer be aborted");
    }
    return HttpApiResponse.noContent();
  }
}
