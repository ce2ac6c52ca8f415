package videopipe.functions.metadata;

import static videopipe.functions.metadata.Bytes.fourcc;
import static videopipe.functions.metadata.Bytes.s32;
import static videopipe.functions.metadata.Bytes.u16;
import static videopipe.functions.metadata.Bytes.u24;
import static videopipe.functions.metadata.Bytes.u32;
import static videopipe.functions.metadata.Bytes.u64;
import static videopipe.functions.metadata.Bytes.u8;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ISO base media (MP4) and QuickTime (MOV) files, read by walking box headers.
 *
 * <p>An 81-minute movie's 'moov' is several MB, nearly all of it sample tables (stsz, stco, stsc,
 * ctts, stss and, for variable frame rate, stts). We read none of them: the headers we need sit at
 * the start of each track (tkhd, mdhd, hdlr, stsd, then stts), so one window read at the start of
 * each 'trak' finds them and the tables are skipped by their sizes. The sample count that gives
 * the frame rate comes from stts when it is small (constant frame rate: one or two entries), else
 * from the fixed-size stsz header, reached by hopping over the tables between them.
 *
 * <p>Top level: we follow the box sizes from the start. A fast-start file has 'moov' in the head;
 * a moov-at-end file has it after 'mdat', at the offset the sizes lead to, and when the rest of
 * the file is small we read all of it in that one hop. A moov up to 256 KiB is read whole;
 * a larger one window by window (16 KiB at each header that was not fetched yet). We go on to
 * the box after the moov only to check that the media data is not cut short.
 *
 * <p>Fragmented files (a 'moov' with 'mvex'): duration from 'mehd', else from the last fragment
 * the 'mfra' index at the end of the file points to (its 'tfdt' plus its sample durations).
 */
final class Mp4Probe {

  private static final int MAX_DEPTH = 16;
  private static final int MAX_BOXES = 10_000;
  /** What one hop fetches when a header was not read yet: the next few headers come with it. */
  private static final int WINDOW = 16 * 1024;
  /** A moov this small is read in one request, and so is a file's rest when this small. */
  private static final int WHOLE = 256 * 1024;
  /** Sample descriptions beyond this are not needed: the first entry's header is all we read. */
  private static final int STSD_BYTES = 4 * 1024;
  /** stts tables up to this size are read and summed; larger ones send us to the stsz header. */
  private static final int STTS_BYTES = 4 * 1024;
  /** The end of a fragmented file: where 'mfro' and usually the whole 'mfra' are. */
  private static final int TAIL = 64 * 1024;
  private static final int MAX_FRAGMENT_BYTES = 256 * 1024;

  private final BoundedReads reads;
  private final long size;
  private int boxes;

  private record Box(String type, long offset, int header, long size) {
    long end() {
      return offset + size;
    }

    long payload() {
      return offset + header;
    }

    long payloadSize() {
      return size - header;
    }
  }

  /** What the moov says about one track, as far as we read it. */
  private static final class Track {
    long id;
    @Nullable String handler;
    long timescale;
    long mediaDuration;
    int width;
    int height;
    int tkhdWidth;
    int tkhdHeight;
    double[] matrix = {1, 0, 0, 1};
    @Nullable String codec;
    long sttsSamples = -1;
    double sttsDuration;
    long stszSamples = -1;
    boolean tkhdSeen;
    boolean mdiaDone;
    boolean mdhdSeen;
    boolean hdlrSeen;
    boolean minfDone;
    boolean stblDone;
    boolean stsdSeen;
    /** End of the media in the track's timescale, from the last fragment read. */
    double fragmentEnd = -1;
    long fragmentSamples;
    double fragmentDuration;

    boolean video() {
      return "vide".equals(handler);
    }

    boolean audio() {
      return "soun".equals(handler);
    }

    boolean sampleCountKnown() {
      return sttsSamples >= 0 || stszSamples >= 0;
    }

    /** Whether the moov lists samples: a fragmented movie's may list none. */
    boolean hasSamples() {
      return sttsSamples > 0 || stszSamples > 0;
    }
  }

  private final List<Track> tracks = new ArrayList<>();
  private long movieTimescale;
  private long movieDuration;
  private double[] movieMatrix = {1, 0, 0, 1};
  private boolean fragmented;
  private long mehdDuration = -1;
  private @Nullable String majorBrand;
  private @Nullable Box firstMoof;

  Mp4Probe(BoundedReads reads) {
    this.reads = reads;
    this.size = reads.size();
  }

  VideoMetadata probe() {
    Box moov = findMoov();
    walk(moov, 1, null);
    Track video = tracks.stream().filter(Track::video).findFirst()
        .orElseThrow(() -> UnreadableVideoException.noVideo("the file has no video track"));
    if (video.codec == null) {
      throw UnreadableVideoException.corrupt("the video track has no sample description ('stsd')");
    }
    if (video.timescale <= 0) {
      throw UnreadableVideoException.corrupt("the video track has no media header ('mdhd') with a timescale");
    }
    double duration = movieDuration > 0 && movieTimescale > 0 ? (double) movieDuration / movieTimescale : 0;
    if (fragmented) {
      duration = fragmentedDuration(video, duration);
    }
    if (duration <= 0) {
      for (Track t : tracks) {
        if (t.timescale > 0) {
          duration = Math.max(duration, (double) t.mediaDuration / t.timescale);
        }
      }
    }
    Track audio = tracks.stream().filter(Track::audio).findFirst().orElse(null);
    int width = video.width > 0 ? video.width : video.tkhdWidth;
    int height = video.height > 0 ? video.height : video.tkhdHeight;
    Container container = majorBrand == null || majorBrand.equals("qt  ") ? Container.MOV : Container.MP4;
    return Probes.metadata(container, size, duration, width, height, rotation(video), frameRate(video), video.codec,
        audio == null ? null : audio.codec, (int) tracks.stream().filter(Track::audio).count());
  }

  // ---------------------------------------------------------------- top level

  /**
   * Follows the top-level boxes until the moov and the media after or before it were seen, failing
   * as truncated when a box runs past the end of the file.
   */
  private Box findMoov() {
    Box moov = null;
    boolean media = false;
    long offset = 0;
    while (offset < size && !(moov != null && media)) {
      if (size - offset < 8) {
        break; // trailing bytes too short to be a box: ignored, as players do
      }
      int prefetch = moov != null ? 32 : size - offset <= WHOLE ? (int) (size - offset) : WINDOW;
      Box box = header(offset, size, null, prefetch);
      if (box.end() > size) {
        throw UnreadableVideoException.truncated("the file ends inside the '" + box.type + "' box"
            + (box.type.equals("moov") ? " (the movie header)" : box.type.equals("mdat") ? " (the media data)" : "")
            + ": the upload looks truncated (" + size + " of " + box.end() + " bytes)");
      }
      switch (box.type) {
        case "ftyp" -> {
          byte[] p = reads.bytes(box.payload(), 4, 0);
          if (p.length == 4) {
            majorBrand = fourcc(p, 0);
          }
        }
        case "moov" -> {
          if (moov == null) {
            moov = box;
            if (box.size <= WHOLE && !reads.has(box.offset, (int) box.size)) {
              reads.bytes(box.offset, (int) box.size, (int) box.size + 32); // the moov and the next header
            }
          }
        }
        case "mdat" -> media = true;
        case "moof" -> {
          media = true;
          if (firstMoof == null) {
            firstMoof = box;
          }
        }
        default -> { }
      }
      offset = box.end();
    }
    if (moov == null) {
      if (media) {
        throw UnreadableVideoException.truncated("the file has media data but no 'moov' box (its index):"
            + " the recording was not finished or the upload is incomplete");
      }
      throw UnreadableVideoException.corrupt("the file has no 'moov' box: it is not a complete MP4/QuickTime movie");
    }
    return moov;
  }

  // ---------------------------------------------------------------- the moov

  /**
   * Visits the children of a container box, descending into the containers on the way to what we
   * read. Every container is left as soon as what we need from it was found, which is what keeps
   * the sample tables (the bulk of a large moov) unread.
   */
  private void walk(Box parent, int depth, @Nullable Track track) {
    if (depth > MAX_DEPTH) {
      throw UnreadableVideoException.tooDeep("boxes are nested more than " + MAX_DEPTH + " deep (at offset "
          + parent.offset + "): no real movie is built like that");
    }
    long offset = parent.payload();
    while (offset < parent.end() && !done(parent, track)) {
      if (parent.end() - offset < 8) {
        break; // QuickTime ends some lists with a 4-byte zero terminator
      }
      Box box = header(offset, parent.end(), parent.type, WINDOW);
      switch (box.type) {
        case "moov", "mvex" -> walk(box, depth + 1, track);
        case "trak" -> {
          Track t = new Track();
          tracks.add(t);
          walk(box, depth + 1, t);
        }
        case "mdia" -> {
          walk(box, depth + 1, track);
          if (track != null) {
            track.mdiaDone = true;
          }
        }
        case "minf" -> {
          walk(box, depth + 1, track);
          if (track != null) {
            track.minfDone = true;
          }
        }
        case "stbl" -> {
          walk(box, depth + 1, track);
          if (track != null) {
            track.stblDone = true;
          }
        }
        case "mvhd" -> mvhd(box);
        case "mehd" -> mehd(box);
        case "tkhd" -> {
          if (track != null) {
            tkhd(box, track);
          }
        }
        case "mdhd" -> {
          if (track != null) {
            mdhd(box, track);
          }
        }
        case "hdlr" -> {
          // Only the media's handler says what the track is: QuickTime's minf/hdlr says 'alis'.
          if (track != null && parent.type.equals("mdia")) {
            byte[] p = payload(box, 12);
            track.handler = fourcc(p, 8);
            track.hdlrSeen = true;
          }
        }
        case "stsd" -> {
          if (track != null) {
            stsd(box, track);
          }
        }
        case "stts" -> {
          if (track != null && track.video()) {
            stts(box, track);
          }
        }
        case "stsz", "stz2" -> {
          if (track != null && track.video()) {
            track.stszSamples = u32(payload(box, 12), 8);
          }
        }
        default -> { }
      }
      offset = box.end();
    }
  }

  /** Whether everything we want from this container was found, so its remaining boxes are skipped. */
  private boolean done(Box parent, @Nullable Track track) {
    if (track == null) {
      return false;
    }
    return switch (parent.type) {
      case "trak" -> track.tkhdSeen && track.mdiaDone;
      case "mdia" -> track.mdhdSeen && track.hdlrSeen && track.minfDone;
      case "minf" -> track.stblDone;
      case "stbl" -> track.stsdSeen && (!track.video() || track.sampleCountKnown());
      default -> false;
    };
  }

  private void mvhd(Box box) {
    byte[] p = payload(box, 100);
    boolean v1 = u8(p, 0) == 1;
    need(p, v1 ? 84 : 72, box);
    movieTimescale = u32(p, v1 ? 20 : 12);
    movieDuration = v1 ? u64(p, 24) : u32(p, 16);
    if (movieDuration == (v1 ? -1L : 0xFFFFFFFFL)) {
      movieDuration = 0; // all ones: unknown
    }
    movieMatrix = matrix(p, v1 ? 48 : 36);
  }

  private void mehd(Box box) {
    byte[] p = payload(box, 12);
    need(p, 8, box);
    mehdDuration = u8(p, 0) == 1 ? (p.length >= 12 ? u64(p, 4) : 0) : u32(p, 4);
  }

  private void tkhd(Box box, Track track) {
    byte[] p = payload(box, 96);
    boolean v1 = u8(p, 0) == 1;
    need(p, v1 ? 96 : 84, box);
    track.id = u32(p, v1 ? 20 : 12);
    track.matrix = matrix(p, v1 ? 52 : 40);
    track.tkhdWidth = (int) (u32(p, v1 ? 88 : 76) >>> 16);
    track.tkhdHeight = (int) (u32(p, v1 ? 92 : 80) >>> 16);
    track.tkhdSeen = true;
  }

  private void mdhd(Box box, Track track) {
    byte[] p = payload(box, 32);
    boolean v1 = u8(p, 0) == 1;
    need(p, v1 ? 32 : 20, box);
    track.timescale = u32(p, v1 ? 20 : 12);
    long duration = v1 ? u64(p, 24) : u32(p, 16);
    track.mediaDuration = duration == (v1 ? -1L : 0xFFFFFFFFL) || duration < 0 ? 0 : duration;
    track.mdhdSeen = true;
  }

  /** The first sample entry's type, and its picture size for video. */
  private void stsd(Box box, Track track) {
    byte[] p = payload(box, STSD_BYTES);
    track.stsdSeen = true;
    if (p.length < 8 || u32(p, 4) == 0) {
      return;
    }
    need(p, 16, box);
    int entry = 8;
    long entrySize = Math.min(u32(p, entry), p.length - entry);
    String type = fourcc(p, entry + 4);
    if (type.equals("encv") || type.equals("enca")) {
      // Encrypted: the original format is in sinf/frma inside the entry.
      int childrenAt = entry + (type.equals("encv") ? 86 : 36);
      int sinf = findChild(p, childrenAt, entry + (int) entrySize, "sinf");
      int frma = sinf < 0 ? -1 : findChild(p, sinf + 8, boxEnd(p, sinf, entry + (int) entrySize), "frma");
      if (frma >= 0 && frma + 12 <= p.length) {
        type = fourcc(p, frma + 8);
      }
    }
    String codec = Codecs.mp4(type);
    if (track.video() && entry + 36 <= p.length) {
      track.width = u16(p, entry + 32);
      track.height = u16(p, entry + 34);
    }
    if (type.equals("mp4a") || type.equals("mp4v")) {
      int childrenAt = entry + (type.equals("mp4v") ? 86 : audioChildren(p, entry));
      int end = entry + (int) entrySize;
      int esds = findChild(p, childrenAt, end, "esds");
      if (esds < 0) {
        int wave = findChild(p, childrenAt, end, "wave"); // QuickTime nests the esds in 'wave'
        if (wave >= 0) {
          esds = findChild(p, wave + 8, boxEnd(p, wave, end), "esds");
        }
      }
      String byObjectType = esds < 0 ? null : Codecs.mp4ObjectType(objectType(p, esds, end));
      if (byObjectType != null) {
        codec = byObjectType;
      }
    }
    track.codec = codec;
  }

  /** Where an audio sample entry's child boxes start: QuickTime versions 1 and 2 add fields. */
  private static int audioChildren(byte[] p, int entry) {
    if (entry + 18 > p.length) {
      return 36;
    }
    return switch (u16(p, entry + 16)) {
      case 1 -> 52;
      case 2 -> 72;
      default -> 36;
    };
  }

  /** The offset of the first child box of that type in {@code [from, to)}, or -1. */
  private static int findChild(byte[] p, int from, int to, String type) {
    int at = from;
    int end = Math.min(to, p.length);
    while (at >= 0 && at + 8 <= end) {
      long s = u32(p, at);
      if (s < 8) {
        return -1;
      }
      if (fourcc(p, at + 4).equals(type)) {
        return at;
      }
      if (s > end - at) {
        return -1;
      }
      at += (int) s;
    }
    return -1;
  }

  /** The end of the box at {@code at}, within {@code limit}. */
  private static int boxEnd(byte[] p, int at, int limit) {
    return (int) Math.min(Math.min(limit, p.length), at + u32(p, at));
  }

  /** The objectTypeIndication in an 'esds': ES_Descriptor (3) → DecoderConfigDescriptor (4). */
  private static int objectType(byte[] p, int esds, int entryEnd) {
    int end = boxEnd(p, esds, entryEnd);
    int at = esds + 12; // box header and full-box version/flags
    for (int steps = 0; at < end && steps < 4; steps++) {
      int tag = u8(p, at++);
      int length = 0;
      for (int i = 0; i < 4 && at < end; i++) {
        int b = u8(p, at++);
        length = (length << 7) | (b & 0x7F);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (tag == 3) {
        if (at + 3 > end) {
          return -1;
        }
        int flags = u8(p, at + 2);
        at += 3; // ES_ID, flags
        if ((flags & 0x80) != 0) {
          at += 2; // dependsOn_ES_ID
        }
        if ((flags & 0x40) != 0 && at < end) {
          at += 1 + u8(p, at); // URL
        }
        if ((flags & 0x20) != 0) {
          at += 2; // OCR_ES_Id
        }
      } else if (tag == 4) {
        return at < end ? u8(p, at) : -1;
      } else {
        at += length;
      }
    }
    return -1;
  }

  /** Sums a small stts; a large one (variable frame rate, long file) is left for stsz. */
  private void stts(Box box, Track track) {
    byte[] head = payload(box, 8);
    need(head, 8, box);
    long entries = u32(head, 4);
    if (entries * 8 > box.payloadSize() - 8) {
      throw UnreadableVideoException.corrupt("the 'stts' box at offset " + box.offset + " lists " + entries
          + " entries but holds " + (box.payloadSize() - 8) + " bytes");
    }
    long bytes = 8 + entries * 8;
    if (entries * 8 > STTS_BYTES && (bytes > WHOLE || !reads.has(box.payload(), (int) bytes))) {
      return; // a large table not fetched already: the sample count comes from stsz
    }
    byte[] p = payload(box, (int) bytes);
    long samples = 0;
    double duration = 0;
    for (int i = 0; i < entries; i++) {
      long count = u32(p, 8 + i * 8);
      samples += count;
      duration += (double) count * u32(p, 12 + i * 8);
    }
    track.sttsSamples = samples;
    track.sttsDuration = duration;
  }

  /** The 2×2 part of a 3×3 matrix of 16.16 fixed point values: a, b, c, d. */
  private static double[] matrix(byte[] p, int at) {
    return new double[] {s32(p, at) / 65536.0, s32(p, at + 4) / 65536.0, s32(p, at + 12) / 65536.0,
        s32(p, at + 16) / 65536.0};
  }

  /**
   * The clockwise rotation of the track's matrix applied after the movie's (as players and ffmpeg
   * combine them), snapped to a quarter turn.
   */
  private int rotation(Track video) {
    double[] t = video.matrix;
    double[] m = movieMatrix;
    double a = t[0] * m[0] + t[1] * m[2];
    double b = t[0] * m[1] + t[1] * m[3];
    if (a == 0 && b == 0) {
      return 0;
    }
    return Probes.quarterTurns(Math.toDegrees(Math.atan2(b, a)));
  }

  private double frameRate(Track video) {
    if (video.sttsSamples > 0 && video.sttsDuration > 0) {
      return video.timescale * video.sttsSamples / video.sttsDuration;
    }
    if (video.stszSamples > 0 && video.mediaDuration > 0) {
      return (double) video.stszSamples * video.timescale / video.mediaDuration;
    }
    if (video.fragmentSamples > 0 && video.fragmentDuration > 0) {
      return video.timescale * video.fragmentSamples / video.fragmentDuration;
    }
    if (fragmented) {
      throw UnreadableVideoException.unsupported("the fragmented movie's frame rate is not in its header nor in the"
          + " fragment its index points to");
    }
    throw UnreadableVideoException.corrupt("the video track has no samples");
  }

  // ---------------------------------------------------------------- fragmented files

  /**
   * A fragmented movie's moov describes at most its first fragment: the duration is in 'mehd' when
   * the writer knew it, else at the end of the last fragment.
   */
  private double fragmentedDuration(Track video, double moovDuration) {
    if (firstMoof != null && reads.has(firstMoof.offset, (int) Math.min(firstMoof.size, MAX_FRAGMENT_BYTES))
        && firstMoof.size <= MAX_FRAGMENT_BYTES) {
      moof(reads.bytes(firstMoof.offset, (int) firstMoof.size, 0), firstMoof.offset); // free: already fetched
    }
    if (mehdDuration > 0 && movieTimescale > 0) {
      return (double) mehdDuration / movieTimescale;
    }
    if (!readLastFragment()) {
      throw UnreadableVideoException.unsupported("the movie is fragmented and states no duration ('mehd') nor an"
          + " index of its fragments ('mfra'): measuring it would mean reading every fragment");
    }
    double end = moovDuration;
    for (Track t : tracks) {
      if (t.fragmentEnd >= 0 && t.timescale > 0) {
        end = Math.max(end, t.fragmentEnd / t.timescale);
      }
    }
    if (end <= 0) {
      throw UnreadableVideoException.unsupported("the movie is fragmented and its last fragment states no decode time"
          + " ('tfdt'): measuring it would mean reading every fragment");
    }
    return end;
  }

  /**
   * Reads the 'mfra' at the end of the file and, from the last fragment its 'tfra' tables point
   * to, each track's end time and sample durations. Returns false when there is no mfra.
   */
  private boolean readLastFragment() {
    if (size < 16) {
      return false;
    }
    long tailStart = Math.max(0, size - TAIL);
    reads.bytes(tailStart, (int) (size - tailStart), 0); // mfro, and the mfra before it most of the time
    byte[] mfro = reads.bytes(size - 16, 16, 0);
    if (!fourcc(mfro, 4).equals("mfro") || u32(mfro, 0) != 16) {
      return false;
    }
    long mfraSize = u32(mfro, 12);
    if (mfraSize < 16 || mfraSize > size || mfraSize > MAX_FRAGMENT_BYTES) {
      throw UnreadableVideoException.corrupt("the 'mfro' box gives the fragment index a size of " + mfraSize + " bytes");
    }
    long mfraAt = size - mfraSize;
    byte[] mfra = reads.bytes(mfraAt, (int) mfraSize, 0);
    if (!fourcc(mfra, 4).equals("mfra")) {
      throw UnreadableVideoException.corrupt("the 'mfro' box points at offset " + mfraAt + ", which is no 'mfra' box");
    }
    long lastMoof = -1;
    int at = 8;
    while (at + 8 <= mfra.length) {
      long s = u32(mfra, at);
      if (s < 8 || at + s > mfra.length) {
        throw UnreadableVideoException.corrupt("a box inside the 'mfra' at offset " + (mfraAt + at) + " has size " + s);
      }
      if (fourcc(mfra, at + 4).equals("tfra")) {
        lastMoof = Math.max(lastMoof, lastTfraMoof(mfra, at, (int) s));
      }
      at += (int) s;
    }
    if (lastMoof < 0) {
      return false;
    }
    if (lastMoof >= size) {
      throw UnreadableVideoException.corrupt("the fragment index points past the end of the file (offset " + lastMoof + ")");
    }
    // From the last indexed fragment to the end: moof, mdat, and possibly a few fragments more.
    long offset = lastMoof;
    int steps = 0;
    while (offset < mfraAt && size - offset >= 8) {
      if (++steps > 64) {
        throw new UnreadableVideoException(UnreadableVideoException.Code.TOO_COSTLY,
            "more than 64 boxes follow the last fragment the index points to");
      }
      Box box = header(offset, size, null, 32);
      if (box.end() > size) {
        throw UnreadableVideoException.truncated("the file ends inside the '" + box.type + "' box at offset "
            + box.offset + ": the upload looks truncated (" + size + " of " + box.end() + " bytes)");
      }
      if (box.type.equals("moof")) {
        if (box.size > MAX_FRAGMENT_BYTES) {
          throw new UnreadableVideoException(UnreadableVideoException.Code.TOO_COSTLY,
              "the last fragment's header ('moof') is " + box.size + " bytes");
        }
        moof(reads.bytes(box.offset, (int) box.size, (int) box.size + 32), box.offset);
      }
      offset = box.end();
    }
    return true;
  }

  /** The moof offset of a 'tfra''s last entry (ISO/IEC 14496-12 8.8.10). */
  private long lastTfraMoof(byte[] b, int box, int boxSize) {
    if (boxSize < 24) {
      throw UnreadableVideoException.corrupt("a 'tfra' box is too short");
    }
    boolean v1 = u8(b, box + 8) == 1;
    long lengths = u32(b, box + 16);
    long count = u32(b, box + 20);
    if (count == 0) {
      return -1;
    }
    int entry = (v1 ? 16 : 8) + (int) ((lengths >> 4) & 3) + 1 + (int) ((lengths >> 2) & 3) + 1 + (int) (lengths & 3) + 1;
    long last = 24 + (count - 1) * entry;
    if (last + entry > boxSize) {
      throw UnreadableVideoException.corrupt("a 'tfra' box lists " + count + " entries but is only " + boxSize + " bytes");
    }
    int at = box + (int) last;
    return v1 ? u64(b, at + 8) : u32(b, at + 4);
  }

  /** Reads each 'traf' of a fragment: its track's decode time at the start and sample durations. */
  private void moof(byte[] moof, long moofOffset) {
    int at = 8;
    while (at + 8 <= moof.length) {
      long s = u32(moof, at);
      if (s < 8 || at + s > moof.length) {
        throw UnreadableVideoException.corrupt("a box inside the 'moof' at offset " + (moofOffset + at) + " has size " + s);
      }
      if (fourcc(moof, at + 4).equals("traf")) {
        traf(moof, at + 8, at + (int) s, moofOffset);
      }
      at += (int) s;
    }
  }

  private void traf(byte[] b, int from, int to, long moofOffset) {
    Track track = null;
    long defaultDuration = 0;
    double decodeTime = -1;
    long samples = 0;
    double duration = 0;
    int at = from;
    while (at + 8 <= to) {
      long s = u32(b, at);
      if (s < 8 || at + s > to) {
        throw UnreadableVideoException.corrupt("a box inside a 'traf' at offset " + (moofOffset + at) + " has size " + s);
      }
      String type = fourcc(b, at + 4);
      int p = at + 8;
      int end = at + (int) s;
      switch (type) {
        case "tfhd" -> {
          requireRange(p + 8, end, "tfhd");
          int flags = u24(b, p + 1);
          long id = u32(b, p + 4);
          track = tracks.stream().filter(t -> t.id == id).findFirst().orElse(null);
          int q = p + 8;
          q += (flags & 0x01) != 0 ? 8 : 0;
          q += (flags & 0x02) != 0 ? 4 : 0;
          if ((flags & 0x08) != 0) {
            requireRange(q + 4, end, "tfhd");
            defaultDuration = u32(b, q);
          }
        }
        case "tfdt" -> {
          requireRange(p + 8, end, "tfdt");
          decodeTime = u8(b, p) == 1 ? (double) u64(b, p + 4) : u32(b, p + 4);
        }
        case "trun" -> {
          requireRange(p + 8, end, "trun");
          int flags = u24(b, p + 1);
          long count = u32(b, p + 4);
          int q = p + 8;
          q += (flags & 0x001) != 0 ? 4 : 0;
          q += (flags & 0x004) != 0 ? 4 : 0;
          int record = 4 * Integer.bitCount(flags & 0xF00);
          if (count * record > end - q) {
            throw UnreadableVideoException.corrupt("a 'trun' box lists " + count + " samples it has no room for");
          }
          samples += count;
          if ((flags & 0x100) != 0) {
            for (long i = 0; i < count; i++) {
              duration += u32(b, q + (int) i * record);
            }
          } else {
            duration += (double) count * defaultDuration;
          }
        }
        default -> { }
      }
      at = end;
    }
    if (track != null && decodeTime >= 0) {
      track.fragmentEnd = Math.max(track.fragmentEnd, decodeTime + duration);
      if (!track.hasSamples() && samples > 0 && duration > 0) {
        track.fragmentSamples = samples;
        track.fragmentDuration = duration;
      }
    }
  }

  private static void requireRange(int needed, int end, String type) {
    if (needed > end) {
      throw UnreadableVideoException.corrupt("a '" + type + "' box is too short");
    }
  }

  // ---------------------------------------------------------------- box headers

  /**
   * Reads the header of the box at {@code offset} inside a parent ending at {@code limit} (the
   * file's end at top level, {@code parentType} null), checking its size against both.
   */
  private Box header(long offset, long limit, @Nullable String parentType, int prefetch) {
    if (++boxes > MAX_BOXES) {
      throw UnreadableVideoException.corrupt("the file has more than " + MAX_BOXES + " boxes where a movie has a few dozen");
    }
    byte[] h = reads.bytes(offset, (int) Math.min(32, limit - offset), prefetch);
    long boxSize = u32(h, 0);
    String type = fourcc(h, 4);
    int header = 8;
    if (boxSize == 1) {
      if (h.length < 16) {
        throw UnreadableVideoException.corrupt("the '" + type + "' box at offset " + offset + " has a 64-bit size with no room for it");
      }
      boxSize = u64(h, 8);
      header = 16;
      if (boxSize < 0) {
        throw UnreadableVideoException.corrupt("the '" + type + "' box at offset " + offset + " claims more than 2^63 bytes");
      }
    } else if (boxSize == 0) {
      boxSize = (parentType == null ? size : limit) - offset; // extends to the end of the file (or of its parent)
    }
    if (type.equals("uuid")) {
      header += 16;
    }
    if (boxSize < header) {
      throw UnreadableVideoException.corrupt("the '" + type + "' box at offset " + offset + " claims " + boxSize
          + " bytes, fewer than its own header");
    }
    if (parentType != null && offset + boxSize > limit) {
      throw UnreadableVideoException.corrupt("the '" + type + "' box at offset " + offset + " claims " + boxSize
          + " bytes, more than its parent '" + parentType + "' holds");
    }
    if (type.equals("mvex")) {
      fragmented = true;
    }
    return new Box(type, offset, header, boxSize);
  }

  /** Up to {@code max} bytes of a box's payload. */
  private byte[] payload(Box box, int max) {
    return reads.bytes(box.payload(), (int) Math.min(box.payloadSize(), max), WINDOW);
  }

  private static void need(byte[] p, int length, Box box) {
    if (p.length < length) {
      throw UnreadableVideoException.corrupt("the '" + box.type + "' box at offset " + box.offset + " is too short ("
          + p.length + " bytes)");
    }
  }
}
