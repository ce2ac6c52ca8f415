package videopipe.functions.metadata;

import static videopipe.functions.metadata.Bytes.u8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Matroska and WebM: the EBML header (DocType), then the Segment's top-level elements up to the
 * first Cluster: SeekHead, Info (TimestampScale, Duration), Tracks (type, codec, picture size,
 * DefaultDuration, projection). Every muxer writes these before the media, so the head usually
 * holds them; when it does not, the SeekHead says where they are, and as a last resort Clusters
 * are skipped by their sizes (an unknown-size Cluster, as live recorders write, ends where the
 * next element that cannot be inside a Cluster starts).
 *
 * <p>Live recordings (a browser's MediaRecorder) state no Duration: we then read the file's last
 * 64 KiB, find the last Cluster in it and take its last block's timestamp.
 */
final class MatroskaProbe {

  static final long EBML = 0x1A45DFA3L;
  static final long DOC_TYPE = 0x4282;
  static final long SEGMENT = 0x18538067L;
  static final long SEEK_HEAD = 0x114D9B74L;
  static final long SEEK = 0x4DBB;
  static final long SEEK_ID = 0x53AB;
  static final long SEEK_POSITION = 0x53AC;
  static final long INFO = 0x1549A966L;
  static final long TIMESTAMP_SCALE = 0x2AD7B1;
  static final long DURATION = 0x4489;
  static final long TRACKS = 0x1654AE6BL;
  static final long TRACK_ENTRY = 0xAE;
  static final long TRACK_NUMBER = 0xD7;
  static final long TRACK_TYPE = 0x83;
  static final long CODEC_ID = 0x86;
  static final long CODEC_PRIVATE = 0x63A2;
  static final long DEFAULT_DURATION = 0x23E383;
  static final long VIDEO = 0xE0;
  static final long PIXEL_WIDTH = 0xB0;
  static final long PIXEL_HEIGHT = 0xBA;
  static final long PROJECTION = 0x7670;
  static final long PROJECTION_POSE_ROLL = 0x7675;
  static final long AUDIO = 0xE1;
  static final long TAGS = 0x1254C367L;
  static final long TAG = 0x7373;
  static final long SIMPLE_TAG = 0x67C8;
  static final long TAG_NAME = 0x45A3;
  static final long TAG_STRING = 0x4487;
  static final long CLUSTER = 0x1F43B675L;
  static final long CLUSTER_TIMESTAMP = 0xE7;
  static final long SIMPLE_BLOCK = 0xA3;
  static final long BLOCK_GROUP = 0xA0;
  static final long BLOCK = 0xA1;

  /** Master elements we descend into when parsing an element's content. */
  private static final Set<Long> MASTERS = Set.of(SEEK_HEAD, SEEK, INFO, TRACKS, TRACK_ENTRY, VIDEO, AUDIO, PROJECTION,
      0x55B0L /* Colour */, 0x55D0L /* MasteringMetadata */, 0x6D80L /* ContentEncodings */,
      0x6240L /* ContentEncoding */, 0x5034L /* ContentCompression */, 0x5035L /* ContentEncryption */,
      0xE2L /* TrackOperation */, 0xE3L /* TrackCombinePlanes */, 0xE4L /* TrackPlane */, 0xE9L /* TrackJoinBlocks */,
      0x41E4L /* BlockAdditionMapping */, TAGS, TAG, 0x63C0L /* Targets */, SIMPLE_TAG, BLOCK_GROUP, EBML);

  /** What may sit inside a Cluster: anything else ends an unknown-size one. */
  private static final Set<Long> CLUSTER_CHILDREN = Set.of(CLUSTER_TIMESTAMP, SIMPLE_BLOCK, BLOCK_GROUP,
      0xA7L /* Position */, 0xABL /* PrevSize */, 0x5854L /* SilentTracks */, 0xAFL /* EncryptedBlock */,
      0xECL /* Void */, 0xBFL /* CRC-32 */);

  private static final int MAX_DEPTH = 16;
  private static final int MAX_ELEMENTS = 10_000;
  private static final int WINDOW = 16 * 1024;
  private static final int MAX_SMALL_ELEMENT = 64 * 1024;
  private static final int MAX_TRACKS_ELEMENT = 256 * 1024;
  private static final int TAIL = 64 * 1024;
  /** Blocks of the first Cluster we look at when no track states its frame duration. */
  private static final int CLUSTER_SAMPLE = 64 * 1024;

  private final BoundedReads reads;
  private final long size;
  private int elements;

  /** An element header read from the file: its ID, where it starts, and its size (-1: unknown). */
  private record Header(long id, long offset, int headerSize, long size) {
    long dataStart() {
      return offset + headerSize;
    }

    long end() {
      return dataStart() + size;
    }
  }

  /** An element parsed from bytes in memory, with its children when it is a master. */
  private record Node(long id, byte[] data, int start, int end, List<Node> children) {
    @Nullable Node child(long childId) {
      for (Node n : children) {
        if (n.id == childId) {
          return n;
        }
      }
      return null;
    }

    long uint() {
      if (end - start > 8) {
        throw UnreadableVideoException.corrupt("a Matroska integer element is " + (end - start) + " bytes long");
      }
      long v = 0;
      for (int i = start; i < end; i++) {
        v = (v << 8) | u8(data, i);
      }
      return v;
    }

    double number() {
      return switch (end - start) {
        case 0 -> 0;
        case 4 -> Float.intBitsToFloat((int) uint());
        case 8 -> Double.longBitsToDouble(uint());
        default -> throw UnreadableVideoException.corrupt("a Matroska float element is " + (end - start) + " bytes long");
      };
    }

    String string() {
      int e = end;
      while (e > start && data[e - 1] == 0) {
        e--;
      }
      return new String(data, start, e - start, StandardCharsets.UTF_8);
    }
  }

  private static final class Track {
    long number;
    long type;
    String codec = "";
    byte @Nullable [] codecPrivate;
    long defaultDuration;
    int width;
    int height;
    @Nullable Double roll;
  }

  MatroskaProbe(BoundedReads reads) {
    this.reads = reads;
    this.size = reads.size();
  }

  VideoMetadata probe() {
    Header ebml = header(0, size, MAX_SMALL_ELEMENT);
    if (ebml.id != EBML || ebml.size < 0) {
      throw UnreadableVideoException.corrupt("the file does not start with an EBML header: it is not Matroska or WebM");
    }
    Node ebmlNode = content(ebml, 4096, "EBML header");
    Node docType = ebmlNode.child(DOC_TYPE);
    String doc = docType == null ? "matroska" : docType.string();
    Container container = switch (doc) {
      case "webm" -> Container.WEBM;
      case "matroska" -> Container.MATROSKA;
      default -> throw UnreadableVideoException.unsupported("the EBML document type is '" + doc + "', not matroska or webm");
    };

    Header segment = segment(ebml.end());
    long segStart = segment.dataStart();
    long segEnd = segment.size < 0 ? size : segment.end();
    if (segEnd > size) {
      throw UnreadableVideoException.truncated("the file ends inside the Matroska Segment: the upload looks truncated ("
          + size + " of " + segEnd + " bytes)");
    }

    Map<Long, Long> seeks = new HashMap<>();
    Node info = null;
    Node tracks = null;
    Node tags = null;
    Header firstCluster = null;
    long offset = segStart;
    while (offset < segEnd && segEnd - offset >= 2) {
      if (info != null && tracks != null && !reads.has(offset, 12)) {
        break; // everything we need was found; what follows (attachments, clusters) costs reads
      }
      Header e = header(offset, segEnd, WINDOW);
      if (e.size < 0 && e.id != CLUSTER) {
        throw UnreadableVideoException.corrupt("the element " + hex(e.id) + " at offset " + e.offset
            + " has an unknown size, which only a Segment or a Cluster may have");
      }
      if (e.size >= 0 && e.end() > segEnd) {
        if (e.end() > size) {
          throw UnreadableVideoException.truncated("the file ends inside the element " + hex(e.id) + " at offset "
              + e.offset + ": the upload looks truncated (" + size + " of " + e.end() + " bytes)");
        }
        throw UnreadableVideoException.corrupt("the element " + hex(e.id) + " at offset " + e.offset
            + " claims more bytes than its Segment holds");
      }
      if (e.id == SEEK_HEAD) {
        seeks(content(e, MAX_SMALL_ELEMENT, "SeekHead"), seeks);
      } else if (e.id == INFO && info == null) {
        info = content(e, MAX_SMALL_ELEMENT, "Info");
      } else if (e.id == TRACKS && tracks == null) {
        tracks = content(e, MAX_TRACKS_ELEMENT, "Tracks");
      } else if (e.id == TAGS && tags == null && e.size <= MAX_SMALL_ELEMENT && reads.has(e.dataStart(), (int) e.size)) {
        tags = content(e, MAX_SMALL_ELEMENT, "Tags"); // only when already fetched: a rotate tag is a bonus
      } else if (e.id == CLUSTER) {
        if (firstCluster == null) {
          firstCluster = e;
        }
        if (info == null && seeks.containsKey(INFO)) {
          info = sought(INFO, seeks, segStart, segEnd, MAX_SMALL_ELEMENT, "Info");
        }
        if (tracks == null && seeks.containsKey(TRACKS)) {
          tracks = sought(TRACKS, seeks, segStart, segEnd, MAX_TRACKS_ELEMENT, "Tracks");
        }
        if (info != null && tracks != null) {
          break;
        }
        // Neither found nor indexed: skip the Cluster and keep looking, within the read budget.
      }
      offset = e.size >= 0 ? e.end() : clusterEnd(e, segEnd);
    }
    if (tracks == null) {
      throw UnreadableVideoException.corrupt("the Matroska file has no Tracks element");
    }

    long scale = 1_000_000;
    Double duration = null;
    if (info != null) {
      Node s = info.child(TIMESTAMP_SCALE);
      if (s != null) {
        scale = s.uint();
      }
      Node d = info.child(DURATION);
      if (d != null) {
        duration = d.number();
      }
    }
    if (scale <= 0) {
      throw UnreadableVideoException.corrupt("the Matroska TimestampScale is " + scale);
    }

    List<Track> all = tracks(tracks);
    Track video = all.stream().filter(t -> t.type == 1).findFirst()
        .orElseThrow(() -> UnreadableVideoException.noVideo("the file has no video track"));
    List<Track> audios = all.stream().filter(t -> t.type == 2).toList();

    double seconds;
    if (duration != null) {
      seconds = duration * scale / 1e9;
    } else {
      seconds = durationFromTail(segStart, firstCluster, all, scale);
    }
    if (video.defaultDuration <= 0 && firstCluster == null) {
      firstCluster = nextCluster(offset, segEnd);
    }
    double frameRate = video.defaultDuration > 0 ? 1e9 / video.defaultDuration : frameRateFromBlocks(firstCluster, video, scale);
    int rotation = 0;
    if (video.roll != null) {
      rotation = Probes.quarterTurns(-video.roll); // ProjectionPoseRoll turns counter-clockwise
    } else if (tags != null) {
      rotation = rotateTag(tags);
    }
    return Probes.metadata(container, size, seconds, video.width, video.height, rotation, frameRate,
        videoCodec(video), audios.isEmpty() ? null : audioCodec(audios.get(0)), audios.size());
  }

  private Header segment(long from) {
    long offset = from;
    for (int i = 0; i < 16 && offset < size && size - offset >= 2; i++) {
      Header h = header(offset, size, WINDOW);
      if (h.id == SEGMENT) {
        return h;
      }
      if (h.size < 0) {
        break;
      }
      offset = h.end();
    }
    throw UnreadableVideoException.corrupt("the Matroska file has no Segment after its EBML header");
  }

  /** The first Cluster at or after {@code offset}, skipping other elements by their sizes. */
  private @Nullable Header nextCluster(long offset, long segEnd) {
    long at = offset;
    while (at < segEnd && segEnd - at >= 2) {
      Header e = header(at, segEnd, WINDOW);
      if (e.id == CLUSTER) {
        return e;
      }
      if (e.size < 0 || e.end() > segEnd) {
        return null;
      }
      at = e.end();
    }
    return null;
  }

  private void seeks(Node seekHead, Map<Long, Long> into) {
    for (Node seek : seekHead.children) {
      if (seek.id != SEEK) {
        continue;
      }
      Node id = seek.child(SEEK_ID);
      Node position = seek.child(SEEK_POSITION);
      if (id != null && position != null && id.end - id.start <= 4) {
        into.putIfAbsent(id.uint(), position.uint());
      }
    }
  }

  /** Reads the element a SeekHead entry points to, checking it is the one announced. */
  private @Nullable Node sought(long id, Map<Long, Long> seeks, long segStart, long segEnd, int max, String what) {
    long at = segStart + seeks.get(id);
    if (at < segStart || at >= segEnd) {
      throw UnreadableVideoException.corrupt("the SeekHead points the " + what + " element outside the Segment");
    }
    Header h = header(at, segEnd, WINDOW);
    if (h.id != id || h.size < 0 || h.end() > segEnd) {
      throw UnreadableVideoException.corrupt("the SeekHead points the " + what + " element at offset " + at
          + ", where there is none");
    }
    return content(h, max, what);
  }

  /** Where a Cluster of unknown size ends: at the first element that cannot belong to it. */
  private long clusterEnd(Header cluster, long segEnd) {
    long offset = cluster.dataStart();
    while (offset < segEnd && segEnd - offset >= 2) {
      Header c = header(offset, segEnd, WINDOW);
      if (!CLUSTER_CHILDREN.contains(c.id)) {
        return offset;
      }
      if (c.size < 0 || c.end() > segEnd) {
        throw UnreadableVideoException.corrupt("the element " + hex(c.id) + " inside the Cluster at offset "
            + cluster.offset + " has an impossible size");
      }
      offset = c.end();
    }
    return segEnd;
  }

  private List<Track> tracks(Node tracks) {
    List<Track> out = new ArrayList<>();
    for (Node entry : tracks.children) {
      if (entry.id != TRACK_ENTRY) {
        continue;
      }
      Track t = new Track();
      for (Node n : entry.children) {
        if (n.id == TRACK_NUMBER) {
          t.number = n.uint();
        } else if (n.id == TRACK_TYPE) {
          t.type = n.uint();
        } else if (n.id == CODEC_ID) {
          t.codec = n.string();
        } else if (n.id == CODEC_PRIVATE) {
          t.codecPrivate = java.util.Arrays.copyOfRange(n.data, n.start, Math.min(n.end, n.start + 64));
        } else if (n.id == DEFAULT_DURATION) {
          t.defaultDuration = n.uint();
        } else if (n.id == VIDEO) {
          Node w = n.child(PIXEL_WIDTH);
          Node h = n.child(PIXEL_HEIGHT);
          t.width = w == null ? 0 : (int) Math.min(w.uint(), Integer.MAX_VALUE);
          t.height = h == null ? 0 : (int) Math.min(h.uint(), Integer.MAX_VALUE);
          Node projection = n.child(PROJECTION);
          Node roll = projection == null ? null : projection.child(PROJECTION_POSE_ROLL);
          if (roll != null) {
            t.roll = roll.number();
          }
        }
      }
      out.add(t);
    }
    return out;
  }

  private static String videoCodec(Track t) {
    if (t.codec.equals("V_MS/VFW/FOURCC") && t.codecPrivate != null && t.codecPrivate.length >= 20) {
      return Codecs.aviVideo(Bytes.fourcc(t.codecPrivate, 16)); // a BITMAPINFOHEADER
    }
    return Codecs.matroska(t.codec);
  }

  private static String audioCodec(Track t) {
    if (t.codec.equals("A_MS/ACM") && t.codecPrivate != null && t.codecPrivate.length >= 16) {
      return Codecs.aviAudio(Bytes.u16le(t.codecPrivate, 0), Bytes.u16le(t.codecPrivate, 14)); // a WAVEFORMATEX
    }
    return Codecs.matroska(t.codec);
  }

  /** A "rotate" simple tag, as some writers store a clockwise rotation. */
  private static int rotateTag(Node tags) {
    for (Node tag : tags.children) {
      for (Node simple : tag.children) {
        if (simple.id != SIMPLE_TAG) {
          continue;
        }
        Node name = simple.child(TAG_NAME);
        Node value = simple.child(TAG_STRING);
        if (name != null && value != null && name.string().toLowerCase(Locale.ROOT).equals("rotate")) {
          try {
            return Probes.quarterTurns(Double.parseDouble(value.string().trim()));
          } catch (NumberFormatException e) {
            return 0;
          }
        }
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------- blocks

  private record Block(long track, long timestamp) {}

  /**
   * The frame rate from the timestamps of the video blocks of the first Cluster, for files whose
   * video track states no DefaultDuration.
   */
  private double frameRateFromBlocks(@Nullable Header cluster, Track video, long scale) {
    if (cluster == null) {
      throw UnreadableVideoException.unsupported("the video track states no frame duration and the file has no Cluster");
    }
    long available = size - cluster.dataStart();
    long length = Math.min(available, cluster.size < 0 ? CLUSTER_SAMPLE : Math.min(cluster.size, CLUSTER_SAMPLE));
    byte[] data = reads.bytes(cluster.dataStart(), (int) length, 0);
    List<Long> times = new ArrayList<>();
    for (Block b : blocks(data, 0, data.length)) {
      if (b.track == video.number) {
        times.add(b.timestamp);
      }
    }
    List<Long> sorted = times.stream().distinct().sorted().toList();
    if (sorted.size() < 2) {
      throw UnreadableVideoException.unsupported("the video track states no frame duration and its first Cluster"
          + " has fewer than two frames to measure it by");
    }
    double seconds = (sorted.get(sorted.size() - 1) - sorted.get(0)) * (double) scale / 1e9;
    return (sorted.size() - 1) / seconds;
  }

  /**
   * The blocks of a Cluster's content in {@code [from, to)}, with absolute timestamps; stops
   * quietly where the bytes end mid-element or an element cannot belong to a Cluster.
   */
  private static List<Block> blocks(byte[] d, int from, int to) {
    List<Block> out = new ArrayList<>();
    long clusterTime = 0;
    int i = from;
    int guard = 0;
    while (i < to && guard++ < MAX_ELEMENTS) {
      long[] h = headerIn(d, i, to);
      if (h == null) {
        break;
      }
      long id = h[0];
      int start = i + (int) h[1];
      long len = h[2];
      if (len < 0 || start + len > to || !(CLUSTER_CHILDREN.contains(id) || id == BLOCK)) {
        break;
      }
      int end = start + (int) len;
      if (id == CLUSTER_TIMESTAMP && len <= 8) {
        clusterTime = 0;
        for (int k = start; k < end; k++) {
          clusterTime = (clusterTime << 8) | u8(d, k);
        }
      } else if (id == SIMPLE_BLOCK) {
        Block b = block(d, start, end, clusterTime);
        if (b != null) {
          out.add(b);
        }
      } else if (id == BLOCK_GROUP) {
        int j = start;
        while (j < end) {
          long[] g = headerIn(d, j, end);
          if (g == null || g[2] < 0 || j + g[1] + g[2] > end) {
            break;
          }
          if (g[0] == BLOCK) {
            Block b = block(d, j + (int) g[1], j + (int) (g[1] + g[2]), clusterTime);
            if (b != null) {
              out.add(b);
            }
          }
          j += (int) (g[1] + g[2]);
        }
      }
      i = end;
    }
    return out;
  }

  /** A (Simple)Block's track number and timestamp: track varint, then a signed 16-bit offset. */
  private static @Nullable Block block(byte[] d, int start, int end, long clusterTime) {
    if (start >= end || u8(d, start) == 0) {
      return null;
    }
    int n = Integer.numberOfLeadingZeros(u8(d, start)) - 23;
    if (n > 8 || start + n + 2 > end) {
      return null;
    }
    long track = u8(d, start) & (0xFF >> n);
    for (int k = 1; k < n; k++) {
      track = (track << 8) | u8(d, start + k);
    }
    short relative = (short) ((u8(d, start + n) << 8) | u8(d, start + n + 1));
    return new Block(track, clusterTime + relative);
  }

  /**
   * The end of a live recording: the last Cluster in the file's last 64 KiB, found by its ID and
   * accepted only when it parses as one (a Timestamp first, then blocks).
   */
  private double durationFromTail(long segStart, @Nullable Header firstCluster, List<Track> tracks, long scale) {
    long from = Math.max(segStart, size - TAIL);
    byte[] tail = reads.bytes(from, (int) (size - from), 0);
    long start = 0;
    if (firstCluster != null && reads.has(firstCluster.dataStart(), 64)) {
      long length = Math.min(size - firstCluster.dataStart(), Math.min(CLUSTER_SAMPLE,
          firstCluster.size < 0 ? CLUSTER_SAMPLE : firstCluster.size));
      if (reads.has(firstCluster.dataStart(), (int) length)) {
        List<Block> first = blocks(reads.bytes(firstCluster.dataStart(), (int) length, 0), 0, (int) length);
        start = first.stream().mapToLong(Block::timestamp).min().orElse(0);
      }
    }
    for (int i = tail.length - 4; i >= 0; i--) {
      if (u8(tail, i) != 0x1F || u8(tail, i + 1) != 0x43 || u8(tail, i + 2) != 0xB6 || u8(tail, i + 3) != 0x75) {
        continue;
      }
      long[] h = headerIn(tail, i, tail.length);
      if (h == null) {
        continue;
      }
      int content = i + (int) h[1];
      long[] first = headerIn(tail, content, tail.length);
      if (first == null || first[0] != CLUSTER_TIMESTAMP) {
        continue;
      }
      int to = h[2] < 0 || content + h[2] > tail.length ? tail.length : content + (int) h[2];
      List<Block> blocks = blocks(tail, content, to);
      if (blocks.isEmpty()) {
        continue;
      }
      double end = 0;
      for (Block b : blocks) {
        long trackNumber = b.track;
        long frame = tracks.stream().filter(t -> t.number == trackNumber).mapToLong(t -> t.defaultDuration).findFirst()
            .orElse(0);
        end = Math.max(end, b.timestamp + frame / (double) scale);
      }
      return (end - start) * scale / 1e9;
    }
    throw UnreadableVideoException.unsupported("the file states no duration (a live recording?) and its last Cluster"
        + " does not start within its last " + TAIL / 1024 + " KiB");
  }

  // ---------------------------------------------------------------- EBML

  /** An element header read through the budget; at {@code limit} the parent (or the file) ends. */
  private Header header(long offset, long limit, int prefetch) {
    if (++elements > MAX_ELEMENTS) {
      throw UnreadableVideoException.corrupt("the file has more than " + MAX_ELEMENTS + " elements before its media");
    }
    byte[] h = reads.bytes(offset, (int) Math.min(12, limit - offset), prefetch);
    long[] parsed = headerIn(h, 0, h.length);
    if (parsed == null) {
      if (offset + 12 > size) {
        throw UnreadableVideoException.truncated("the file ends inside an element header at offset " + offset);
      }
      throw UnreadableVideoException.corrupt("the element header at offset " + offset + " runs past its parent");
    }
    return new Header(parsed[0], offset, (int) parsed[1], parsed[2]);
  }

  /**
   * Parses an element header at {@code i}: {id, header length, size or -1 for unknown}; null when
   * the bytes end first. Invalid variable-length integers are corrupt files.
   */
  private static long @Nullable [] headerIn(byte[] d, int i, int to) {
    if (i >= to) {
      return null;
    }
    int b0 = u8(d, i);
    if (b0 == 0) {
      throw UnreadableVideoException.corrupt("an EBML element ID starts with a zero byte, which has no length marker");
    }
    int idLength = Integer.numberOfLeadingZeros(b0) - 23;
    if (idLength > 4) {
      throw UnreadableVideoException.corrupt("an EBML element ID is longer than 4 bytes");
    }
    if (i + idLength >= to) {
      return null;
    }
    long id = 0;
    for (int k = 0; k < idLength; k++) {
      id = (id << 8) | u8(d, i + k);
    }
    int s0 = u8(d, i + idLength);
    if (s0 == 0) {
      throw UnreadableVideoException.corrupt("the size of EBML element " + hex(id)
          + " starts with a zero byte, which has no length marker");
    }
    int sizeLength = Integer.numberOfLeadingZeros(s0) - 23;
    if (i + idLength + sizeLength > to) {
      return null;
    }
    long value = s0 & (0xFF >> sizeLength);
    boolean allOnes = value == (0xFF >> sizeLength);
    for (int k = 1; k < sizeLength; k++) {
      int b = u8(d, i + idLength + k);
      value = (value << 8) | b;
      allOnes &= b == 0xFF;
    }
    return new long[] {id, idLength + sizeLength, allOnes ? -1 : value};
  }

  /** Fetches an element's content (at most {@code max} bytes) and parses it as a tree. */
  private Node content(Header e, int max, String what) {
    if (e.size < 0) {
      throw UnreadableVideoException.corrupt("the " + what + " element has an unknown size");
    }
    if (e.size > max) {
      throw new UnreadableVideoException(UnreadableVideoException.Code.TOO_COSTLY,
          "the " + what + " element is " + e.size + " bytes, more than the " + max / 1024 + " KiB the probe reads");
    }
    byte[] data = reads.bytes(e.dataStart(), (int) e.size, (int) e.size + 12);
    if (data.length < e.size) {
      throw UnreadableVideoException.truncated("the file ends inside the " + what + " element");
    }
    return new Node(e.id, data, 0, data.length, parse(data, 0, data.length, 1, what));
  }

  private List<Node> parse(byte[] d, int from, int to, int depth, String where) {
    if (depth > MAX_DEPTH) {
      throw UnreadableVideoException.tooDeep("EBML elements inside the " + where + " are nested more than "
          + MAX_DEPTH + " deep: no real file is built like that");
    }
    List<Node> out = new ArrayList<>();
    int i = from;
    while (i < to) {
      if (++elements > MAX_ELEMENTS) {
        throw UnreadableVideoException.corrupt("the " + where + " element holds more than " + MAX_ELEMENTS + " elements");
      }
      long[] h = headerIn(d, i, to);
      if (h == null) {
        throw UnreadableVideoException.corrupt("an element header inside the " + where + " runs past its parent");
      }
      if (h[2] < 0) {
        throw UnreadableVideoException.corrupt("the element " + hex(h[0]) + " inside the " + where + " has an unknown size");
      }
      int start = i + (int) h[1];
      if (h[2] > to - start) {
        throw UnreadableVideoException.corrupt("the element " + hex(h[0]) + " inside the " + where + " claims " + h[2]
            + " bytes, more than its parent holds");
      }
      int end = start + (int) h[2];
      List<Node> children = MASTERS.contains(h[0]) ? parse(d, start, end, depth + 1, where) : List.of();
      out.add(new Node(h[0], d, start, end, children));
      i = end;
    }
    return out;
  }

  private static String hex(long id) {
    return String.format("0x%X", id);
  }
}
