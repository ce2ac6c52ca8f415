package videopipe.functions.catalog;

import java.util.List;

/**
 * One page of an owner's videos, newest first.
 *
 * @param next where the next page starts, or null when this is the last one
 */
public record VideoPage(List<VideoItem> videos, PageKey next) {

  /** The position after the last video of a page, in the owner index ({@code createdAt}, {@code videoId}). */
  public record PageKey(String createdAt, String videoId) {}
}
