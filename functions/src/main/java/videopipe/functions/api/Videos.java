package videopipe.functions.api;

import java.util.regex.Pattern;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.UploadState;
import videopipe.functions.catalog.VideoItem;

/** Finds the caller's own videos; anyone else's is exactly as missing as one that never existed. */
final class Videos {

  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{6,64}");

  private Videos() {}

  static VideoItem own(Catalog catalog, String owner, String videoId) {
    checkId(videoId);
    return catalog.get(videoId).filter(v -> owner.equals(v.ownerId())).orElseThrow(() -> notFound(videoId));
  }

  static UploadState ownUpload(Catalog catalog, String owner, String videoId) {
    checkId(videoId);
    return catalog.uploadState(videoId).filter(v -> owner.equals(v.ownerId())).orElseThrow(() -> notFound(videoId));
  }

  private static void checkId(String videoId) {
    if (videoId == null || !VIDEO_ID.matcher(videoId).matches()) {
      throw notFound(videoId);
    }
  }

  private static ApiError.ApiException notFound(String videoId) {
    return ApiError.NOT_FOUND.because("no video " + (videoId == null ? "" : videoId.length() > 64
        ? videoId.substring(0, 64) + "…" : videoId));
  }
}
