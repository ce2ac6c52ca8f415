package videopipe.functions.metadata;

import org.jspecify.annotations.Nullable;
import videopipe.functions.storage.ByteSource;

/**
 * Reads an upload's duration, picture size, rotation, frame rate, codecs and track counts through
 * a few bounded reads, whatever the file's size or duration. Walks container headers only and
 * skips media data and sample tables by their sizes, so that validating and probing one upload
 * fetches at most {@value BoundedReads#MAX_BYTES} bytes in at most {@value BoundedReads#MAX_READS}
 * reads of its own (ffprobe reads about 5 MB of an 81-minute MP4's moov, even a fast-start one).
 *
 * <p>Reads per layout, beyond a given 64 KiB head (one more read when no head is given):
 * <ul>
 *   <li>MP4/MOV fast-start with a moov in the head: 0; with a larger moov up to 256 KiB: 1; with a
 *       larger one (long files): about one per track and one per hop over a large table plus one
 *       to check the 'mdat' header after it, 4 to 8 in practice.
 *   <li>MP4/MOV moov-at-end: 0 when the whole file fits in the head, else 1 when the moov is at
 *       most 256 KiB (the hop to it reads the rest of the file); a multi-MB moov costs the same
 *       per-track hops as above.
 *   <li>Fragmented MP4: as fast-start when it states its duration ('mehd'); else 1 read of the
 *       last 64 KiB for the fragment index ('mfra') and 1 for the last fragment's header.
 *   <li>Matroska/WebM: 0 when Info and Tracks are in the head (every muxer puts them there);
 *       1 per element the SeekHead points to beyond it; a file without a stated duration (a live
 *       recording) 1 more for its last 64 KiB.
 *   <li>MPEG-TS: 1 for the last 64 KiB (the last timestamps); 1 more when the tables or the first
 *       sequence header are not in the head.
 *   <li>AVI: 0 when the header list is in the head, else 1.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class VideoProbe {

  /** What the probe reads first when the caller has not fetched the head already. */
  public static final int HEAD_BYTES = 64 * 1024;

  /** Probes a file, reading its head first. */
  public VideoMetadata probe(ByteSource source, Container container) {
    return probe(source, container, null);
  }

  /**
   * Probes a file whose first bytes were already fetched (by the validate step's sniffing): they
   * are not fetched again, and they count against the byte budget.
   *
   * @throws UnreadableVideoException when the file cannot be described within the budget
   */
  public VideoMetadata probe(ByteSource source, Container container, byte @Nullable [] head) {
    if (source.size() <= 0) {
      throw UnreadableVideoException.truncated("the file is empty");
    }
    BoundedReads reads = new BoundedReads(source, head);
    if (head == null) {
      reads.bytes(0, HEAD_BYTES, 0);
    }
    return switch (container) {
      case MP4, MOV -> new Mp4Probe(reads).probe();
      case MATROSKA, WEBM -> new MatroskaProbe(reads).probe();
      case MPEG_TS -> new MpegTsProbe(reads).probe();
      case AVI -> new AviProbe(reads).probe();
    };
  }
}
