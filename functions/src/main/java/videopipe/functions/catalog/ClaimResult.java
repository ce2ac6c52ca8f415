package videopipe.functions.catalog;

/** The outcome of claiming an upload for validation. */
public sealed interface ClaimResult {

  /** This execution holds the claim: first time, or again after a retry or a redrive. */
  record Claimed(VideoItem item, boolean reentered) implements ClaimResult {}

  /** Another execution already holds it (a duplicate event), or the video moved past waiting. */
  record Duplicate(VideoItem item) implements ClaimResult {}

  /** No catalog item has this videoId. */
  record Unknown(String videoId) implements ClaimResult {}

  /** The item exists but belongs to another owner than the key says. */
  record OwnerMismatch(VideoItem item) implements ClaimResult {}
}
