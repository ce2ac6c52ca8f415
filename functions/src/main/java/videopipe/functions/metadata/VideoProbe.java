package videopipe.functions.metadata;

import org.jspecify.annotations.Nullable;
import videopipe.functions.storage.ByteSource;

/**
 * Reads an upload's duration, picture size, rotation, frame rate, codecs and track counts through
 * a few bounded reads, whatever the file's size or duration. Walks container headers only and
 * skips media data and sample tables by their sizes, so that validating and probing one upload
 * fetches at most {@value BoundedReads#MAX_BYTES} bytes (the given head included) in at most
 * {@value BoundedReads#MAX_READS} reads of its own; a file that would need more is refused as
 * {@link UnreadableVideoException.Code#TOO_COSTLY}. (ffprobe reads about 5 MB of an 81-minute
 * MP4's moov, even a fast-start one.)
 *
 * <p>Reads per layout, beyond a given 64 KiB head (one more, of 64 KiB at offset 0, when no head
 * is given), as the tests measure them:
 * <ul>
 *   <li>MP4/MOV with the moov in the head (fast-start, or a whole file under 64 KiB): 0; a
 *       fast-start moov that outgrows the head, up to 256 KiB: 1, the whole moov at once.
 *   <li>MP4/MOV moov-at-end: 1, the hop to the offset the top-level sizes lead to, which reads the
 *       rest of the file when it is at most 256 KiB (a moov of any usual short clip); 2 when the
 *       moov is followed by more than that.
 *   <li>A multi-MB moov (long files), either layout: a 16 KiB window per track and one to check
 *       the 'mdat' header after a fast-start moov; a variable frame rate adds two hops over the
 *       tables to the stsz header. The 81-minute test movie takes 4 reads and 64 KiB.
 *   <li>Fragmented MP4: 0 when it states its duration ('mehd'); else 1 of the last 64 KiB (the
 *       'mfra' index and usually the last fragment), 2 when that fragment starts earlier.
 *   <li>Matroska/WebM: 0 when Info and Tracks are in the head, as every muxer writes them;
 *       1 per element the SeekHead points to beyond it; 1 more, of the last 64 KiB, for a live
 *       recording that states no duration.
 *   <li>MPEG-TS: 1 of the last 64 KiB (the last timestamps); 1 more when the tables or the first
 *       sequence header are not in the head, and 1 more when a high-rate tail starts no packet.
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
   * @throws UnreadableVideoException when the file is truncated, corrupt, lies about its structure,
   *     holds no video, or cannot be described within the budget: its code says which
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
