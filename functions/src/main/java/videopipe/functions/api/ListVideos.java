package videopipe.functions.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.VideoPage;

/**
 * {@code GET /videos?limit&cursor}: the caller's own videos, newest first, through the owner
 * index. The cursor is opaque to clients: base64url of where the page ended ({@code createdAt}
 * and {@code videoId}); the owner is never in it, always taken from the token, so a cursor cannot
 * lead into another creator's list.
 */
public final class ListVideos implements Function<HttpApiRequest, HttpApiResponse> {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{6,64}");

  private final Catalog catalog;
  private final Function<HttpApiRequest, HttpApiResponse> route;

  ListVideos(Catalog catalog) {
    this.catalog = catalog;
    this.route = HttpRoutes.authenticated(this::handle);
  }

  @Override
  public HttpApiResponse apply(HttpApiRequest request) {
    return route.apply(request);
  }

  private HttpApiResponse handle(String owner, HttpApiRequest request) {
    int limit = limit(request.queryParameter("limit"));
    VideoPage.PageKey after = cursor(request.queryParameter("cursor"));
    VideoPage page = catalog.listByOwner(owner, limit, after);
    List<Responses.VideoSummary> videos = page.videos().stream()
        .map(v -> new Responses.VideoSummary(v.videoId(), v.status().name(), v.fileName(), v.declaredBytes(),
            v.createdAt() == null ? null : v.createdAt().toString()))
        .toList();
    return HttpRoutes.ok(200, new Responses.VideoList(videos, page.next() == null ? null : encode(page.next())));
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through to the refusal
    }
    throw ApiError.INVALID_FIELD.because("'limit' must be a whole number 1.." + MAX_LIMIT, "limit");
  }

  static String encode(VideoPage.PageKey key) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((key.createdAt() + "|" + key.videoId()).getBytes(StandardCharsets.UTF_8));
  }

  private static VideoPage.PageKey cursor(String value) {
    if (value == null) {
      return null;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      int bar = decoded.indexOf('|');
      if (bar > 0) {
        String createdAt = decoded.substring(0, bar);
        String videoId = decoded.substring(bar + 1);
        Instant.parse(createdAt);
        if (VIDEO_ID.matcher(videoId).matches()) {
          return new VideoPage.PageKey(createdAt, videoId);
        }
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // fall through to the refusal
    }
    throw ApiError.INVALID_CURSOR.because("'cursor' is not one this API returned; start again without it", "cursor");
  }
}
