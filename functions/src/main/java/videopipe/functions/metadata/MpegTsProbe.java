package videopipe.functions.metadata;

import static videopipe.functions.metadata.Bytes.u16;
import static videopipe.functions.metadata.Bytes.u8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * MPEG transport streams (188-byte packets, and the 192-byte packets of M2TS/AVCHD or 204-byte
 * ones with Reed-Solomon bytes). A TS has no header of its own: the tables (PAT → PMT) say which
 * PIDs carry which stream types, the picture size comes from the video's own sequence header
 * (H.264 or HEVC SPS, MPEG-2 sequence header) in its first packets, and the duration from the
 * timestamps (PTS) of the first packets and of the last ones, found in the file's last 64 KiB.
 *
 * <p>The frame rate is the H.264 SPS's VUI timing or the MPEG-2 frame rate code when present,
 * else the median spacing of the video timestamps in the head. HEVC's VUI is not parsed (it sits
 * behind short-term reference picture sets), so HEVC always uses the timestamps.
 */
final class MpegTsProbe {

  private static final int HEAD = 64 * 1024;
  /** Read once more when the head lacks the tables or the first sequence header. */
  private static final int MORE = 192 * 1024;
  private static final int TAIL = 64 * 1024;
  /** Read once more before the tail when a high-rate stream has no packet start in the tail. */
  private static final int MORE_TAIL = 192 * 1024;
  private static final int[] PACKET_SIZES = {188, 192, 204};
  private static final long PTS_MODULO = 1L << 33;
  private static final int MAX_ES = 512 * 1024;
  private static final int MAX_TIMESTAMPS = 512;

  private enum Kind { VIDEO, AUDIO, OTHER }

  private record Stream(int pid, Kind kind, String codec) {}

  private final BoundedReads reads;
  private final long size;
  private int packetSize;

  private int pmtPid = -1;
  private final Map<Integer, ByteArrayOutputStream> sections = new HashMap<>();
  private @Nullable List<Stream> streams;
  private @Nullable Stream video;
  private final ByteArrayOutputStream videoEs = new ByteArrayOutputStream();
  private boolean videoEsStarted;
  private final List<Long> videoPts = new ArrayList<>();
  private @Nullable Long firstAudioPts;
  private boolean scrambled;
  /** The MPEG audio layer of the first audio stream when its type says "MPEG audio"; 0 unknown. */
  private int mpegAudioLayer;

  MpegTsProbe(BoundedReads reads) {
    this.reads = reads;
    this.size = reads.size();
  }

  VideoMetadata probe() {
    int headLength = (int) Math.min(size, HEAD);
    byte[] head = reads.bytes(0, headLength, 0);
    int first = sync(head, 0);
    if (first < 0) {
      throw UnreadableVideoException.corrupt("no MPEG-TS sync byte (0x47) repeats every 188 bytes in the first "
          + head.length / 1024 + " KiB: this is not a transport stream");
    }
    long next = scan(head, 0, first);
    SequenceHeader sequence = streams == null ? null : sequenceHeader();
    if ((streams == null || sequence == null) && headLength < size) {
      long from = next;
      byte[] more = reads.bytes(from, (int) Math.min(MORE, size - from), 0);
      scan(more, from, 0);
      sequence = streams == null ? null : sequenceHeader();
    }
    if (streams == null) {
      throw UnreadableVideoException.corrupt("the transport stream has no program tables (PAT, PMT) in its first "
          + (HEAD + MORE) / 1024 + " KiB");
    }
    Stream videoStream = video;
    if (videoStream == null) {
      throw UnreadableVideoException.noVideo("the transport stream's program has no video stream");
    }
    if (scrambled && videoPts.isEmpty()) {
      throw UnreadableVideoException.unsupported("the transport stream is scrambled (encrypted)");
    }
    if (sequence == null) {
      if (!List.of("h264", "hevc", "mpeg2video").contains(videoStream.codec)) {
        throw UnreadableVideoException.unsupported("the probe does not read the picture size of " + videoStream.codec
            + " video in a transport stream");
      }
      throw UnreadableVideoException.unsupported("the " + videoStream.codec + " stream has no sequence header in the"
          + " first " + (HEAD + MORE) / 1024 + " KiB");
    }
    if (videoPts.isEmpty()) {
      throw UnreadableVideoException.corrupt("the video stream carries no timestamps");
    }
    double frameRate = sequence.frameRate() != null ? sequence.frameRate() : frameRateFromTimestamps();
    double duration = duration(frameRate);
    List<Stream> audio = streams.stream().filter(s -> s.kind == Kind.AUDIO).toList();
    String audioCodec = audio.isEmpty() ? null : audio.get(0).codec;
    if ("mp3".equals(audioCodec) && mpegAudioLayer > 0) {
      audioCodec = mpegAudioLayer == 3 ? "mp3" : "mp" + mpegAudioLayer;
    }
    return Probes.metadata(Container.MPEG_TS, size, duration, sequence.width(), sequence.height(), 0, frameRate,
        videoStream.codec, audioCodec, audio.size());
  }

  /**
   * The offset of the first packet in {@code d} at or after {@code from} such that sync bytes
   * follow at a packet size's spacing; sets the packet size. -1 when there is none.
   */
  private int sync(byte[] d, int from) {
    for (int ps : packetSize > 0 ? new int[] {packetSize} : PACKET_SIZES) {
      int needed = Math.min(5, Math.max(1, (d.length - from) / ps));
      for (int o = from; o < from + ps && o < d.length; o++) {
        boolean ok = true;
        for (int k = 0; k < needed && ok; k++) {
          int at = o + k * ps;
          ok = at < d.length && d[at] == 0x47;
        }
        if (ok) {
          packetSize = ps;
          return o;
        }
      }
    }
    return -1;
  }

  /** Demuxes the whole packets of {@code d} from {@code at}; returns the file offset of the next packet. */
  private long scan(byte[] d, long base, int at) {
    int p = at;
    while (p + 188 <= d.length) {
      if (d[p] != 0x47) {
        int again = sync(d, p);
        if (again < 0) {
          break;
        }
        p = again;
        continue;
      }
      packet(d, p, false);
      p += packetSize;
    }
    return base + p;
  }

  private void packet(byte[] d, int p, boolean tail) {
    if ((u8(d, p + 1) & 0x80) != 0) {
      return; // transport error indicator: the packet is damaged
    }
    boolean unitStart = (u8(d, p + 1) & 0x40) != 0;
    int pid = ((u8(d, p + 1) & 0x1F) << 8) | u8(d, p + 2);
    int control = (u8(d, p + 3) >> 4) & 3;
    if ((control & 1) == 0) {
      return; // adaptation field only
    }
    int payload = p + 4;
    if ((control & 2) != 0) {
      payload += 1 + u8(d, p + 4);
    }
    int end = p + 188;
    if (payload >= end) {
      return;
    }
    if ((u8(d, p + 3) >> 6) != 0 && pid >= 0x20) {
      scrambled = true;
      return;
    }
    if (tail) {
      tailPacket(d, pid, unitStart, payload, end);
    } else if (pid == 0 || pid == pmtPid) {
      section(d, pid, unitStart, payload, end);
    } else if (video != null && pid == video.pid) {
      videoPacket(d, unitStart, payload, end);
    } else if (unitStart && isAudio(pid)) {
      if (firstAudioPts == null) {
        firstAudioPts = pts(d, payload, end);
      }
      Stream first = streams.stream().filter(s -> s.kind == Kind.AUDIO).findFirst().orElseThrow();
      if (first.pid == pid && first.codec.equals("mp3") && mpegAudioLayer == 0) {
        mpegAudioLayer = mpegAudioLayer(d, payload, end);
      }
    }
  }

  /**
   * Stream types 3 and 4 say "MPEG audio", not which layer: the first frame header does (bits
   * 18-17: 1 is Layer III, 2 Layer II, 3 Layer I). 0 when no frame header is in the packet.
   */
  private static int mpegAudioLayer(byte[] d, int pes, int end) {
    if (end - pes < 9) {
      return 0;
    }
    for (int i = pes + 9 + u8(d, pes + 8); i + 1 < end; i++) {
      if (u8(d, i) == 0xFF && (u8(d, i + 1) & 0xE0) == 0xE0 && ((u8(d, i + 1) >> 1) & 3) != 0) {
        return 4 - ((u8(d, i + 1) >> 1) & 3);
      }
    }
    return 0;
  }

  private boolean isAudio(int pid) {
    return streams != null && streams.stream().anyMatch(s -> s.pid == pid && s.kind == Kind.AUDIO);
  }

  // ---------------------------------------------------------------- tables

  /** Collects a PSI section across packets and parses it once complete. */
  private void section(byte[] d, int pid, boolean unitStart, int payload, int end) {
    if (pid == 0 && pmtPid >= 0 || pid == pmtPid && streams != null) {
      return; // the first PAT and PMT are all we read
    }
    ByteArrayOutputStream buf = sections.get(pid);
    if (unitStart) {
      int pointer = u8(d, payload);
      int start = payload + 1 + pointer;
      if (start >= end) {
        return;
      }
      buf = new ByteArrayOutputStream();
      sections.put(pid, buf);
      buf.write(d, start, end - start);
    } else if (buf != null) {
      buf.write(d, payload, end - payload);
    } else {
      return;
    }
    byte[] s = buf.toByteArray();
    if (s.length < 3) {
      return;
    }
    int length = ((u8(s, 1) & 0x0F) << 8) | u8(s, 2);
    if (length > 1021) {
      throw UnreadableVideoException.corrupt("a transport stream table claims " + length + " bytes, above the 1021 allowed");
    }
    if (s.length < 3 + length) {
      return;
    }
    sections.remove(pid);
    if (pid == 0) {
      pat(s, length);
    } else {
      pmt(s, length);
    }
  }

  private void pat(byte[] s, int length) {
    if (u8(s, 0) != 0x00) {
      throw UnreadableVideoException.corrupt("the PID 0 table is not a program association table");
    }
    for (int at = 8; at + 4 <= 3 + length - 4; at += 4) {
      int program = u16(s, at);
      if (program != 0) { // program 0 points at the network table
        pmtPid = u16(s, at + 2) & 0x1FFF;
        return;
      }
    }
    throw UnreadableVideoException.corrupt("the program association table lists no program");
  }

  private void pmt(byte[] s, int length) {
    if (u8(s, 0) != 0x02) {
      throw UnreadableVideoException.corrupt("the program's table is not a program map table");
    }
    if (length < 13) {
      throw UnreadableVideoException.corrupt("the program map table is " + length + " bytes, too short for its fields");
    }
    int end = 3 + length - 4; // before the CRC
    int programInfo = u16(s, 10) & 0x0FFF;
    String registration = registration(s, 12, Math.min(end, 12 + programInfo));
    List<Stream> found = new ArrayList<>();
    int at = 12 + programInfo;
    while (at + 5 <= end) {
      int type = u8(s, at);
      int pid = u16(s, at + 1) & 0x1FFF;
      int esInfo = u16(s, at + 3) & 0x0FFF;
      int descriptors = at + 5;
      int next = descriptors + esInfo;
      if (next > end) {
        throw UnreadableVideoException.corrupt("a stream entry of the program map table runs past the table");
      }
      found.add(classify(pid, type, s, descriptors, next, registration));
      at = next;
    }
    streams = found;
    video = found.stream().filter(x -> x.kind == Kind.VIDEO).findFirst().orElse(null);
  }

  /** The format identifier of a registration descriptor (tag 5) in {@code [from, to)}, or "". */
  private static String registration(byte[] s, int from, int to) {
    for (int at = from; at + 2 <= to; at += 2 + u8(s, at + 1)) {
      if (u8(s, at) == 0x05 && u8(s, at + 1) >= 4 && at + 6 <= to) {
        return Bytes.fourcc(s, at + 2);
      }
    }
    return "";
  }

  private static boolean hasDescriptor(byte[] s, int from, int to, int tag) {
    for (int at = from; at + 2 <= to; at += 2 + u8(s, at + 1)) {
      if (u8(s, at) == tag) {
        return true;
      }
    }
    return false;
  }

  /** Stream types (ISO/IEC 13818-1 Table 2-34, ATSC, Blu-ray) and descriptors to codec names. */
  private static Stream classify(int pid, int type, byte[] s, int from, int to, String programRegistration) {
    boolean bluray = programRegistration.equals("HDMV");
    return switch (type) {
      case 0x01, 0x02 -> new Stream(pid, Kind.VIDEO, "mpeg2video");
      case 0x10 -> new Stream(pid, Kind.VIDEO, "mpeg4");
      case 0x1B -> new Stream(pid, Kind.VIDEO, "h264");
      case 0x24 -> new Stream(pid, Kind.VIDEO, "hevc");
      case 0x33 -> new Stream(pid, Kind.VIDEO, "vvc");
      case 0x42 -> new Stream(pid, Kind.VIDEO, "cavs");
      case 0xEA -> new Stream(pid, Kind.VIDEO, "vc1");
      case 0x03, 0x04 -> new Stream(pid, Kind.AUDIO, "mp3");
      case 0x0F, 0x1C -> new Stream(pid, Kind.AUDIO, "aac");
      case 0x11 -> new Stream(pid, Kind.AUDIO, "aac_latm");
      case 0x80 -> bluray ? new Stream(pid, Kind.AUDIO, "pcm_bluray") : new Stream(pid, Kind.OTHER, "");
      case 0x81 -> new Stream(pid, Kind.AUDIO, "ac3");
      case 0x82, 0x85, 0x86, 0x8A, 0xA2 -> new Stream(pid, Kind.AUDIO, "dts");
      case 0x83 -> new Stream(pid, Kind.AUDIO, "truehd");
      case 0x84, 0x87, 0xA1 -> new Stream(pid, Kind.AUDIO, "eac3");
      case 0x06 -> privateStream(pid, s, from, to);
      default -> new Stream(pid, Kind.OTHER, "");
    };
  }

  /** PES private data: the descriptors say what it is (DVB AC-3/E-AC-3/DTS, registered Opus, AV1…). */
  private static Stream privateStream(int pid, byte[] s, int from, int to) {
    String registered = registration(s, from, to);
    return switch (registered) {
      case "Opus" -> new Stream(pid, Kind.AUDIO, "opus");
      case "AC-3" -> new Stream(pid, Kind.AUDIO, "ac3");
      case "EAC3" -> new Stream(pid, Kind.AUDIO, "eac3");
      case "BSSD" -> new Stream(pid, Kind.AUDIO, "s302m");
      case "AV01" -> new Stream(pid, Kind.VIDEO, "av1");
      case "HEVC" -> new Stream(pid, Kind.VIDEO, "hevc");
      case "VC-1" -> new Stream(pid, Kind.VIDEO, "vc1");
      default -> hasDescriptor(s, from, to, 0x6A) ? new Stream(pid, Kind.AUDIO, "ac3")
          : hasDescriptor(s, from, to, 0x7A) ? new Stream(pid, Kind.AUDIO, "eac3")
          : hasDescriptor(s, from, to, 0x7B) ? new Stream(pid, Kind.AUDIO, "dts")
          : new Stream(pid, Kind.OTHER, "");
    };
  }

  // ---------------------------------------------------------------- PES

  private void videoPacket(byte[] d, boolean unitStart, int payload, int end) {
    int es = payload;
    if (unitStart) {
      Long pts = pts(d, payload, end);
      if (pts != null && videoPts.size() < MAX_TIMESTAMPS) {
        videoPts.add(pts);
      }
      if (end - payload < 9 || u8(d, payload + 8) + 9 > end - payload) {
        return;
      }
      es = payload + 9 + u8(d, payload + 8);
      videoEsStarted = true;
    }
    if (videoEsStarted && videoEs.size() < MAX_ES) {
      videoEs.write(d, es, end - es);
    }
  }

  /** The PTS of the PES packet starting at {@code at}, or null when it has none or is cut. */
  private static @Nullable Long pts(byte[] d, int at, int end) {
    if (end - at < 14 || u8(d, at) != 0 || u8(d, at + 1) != 0 || u8(d, at + 2) != 1) {
      return null;
    }
    int streamId = u8(d, at + 3);
    if (streamId == 0xBC || streamId == 0xBE || streamId == 0xBF || streamId >= 0xF0 && streamId != 0xFD) {
      return null; // no optional PES header
    }
    if ((u8(d, at + 7) & 0x80) == 0) {
      return null;
    }
    int p = at + 9;
    return ((long) (u8(d, p) >> 1) & 0x07) << 30 | (long) u8(d, p + 1) << 22 | (long) (u8(d, p + 2) >> 1) << 15
        | (long) u8(d, p + 3) << 7 | u8(d, p + 4) >> 1;
  }

  // ---------------------------------------------------------------- sequence header

  /** The first sequence header of the video elementary stream read so far, or null. */
  private @Nullable SequenceHeader sequenceHeader() {
    if (video == null) {
      return null;
    }
    byte[] es = videoEs.toByteArray();
    for (int i = 0; i + 3 < es.length; i++) {
      if (es[i] != 0 || es[i + 1] != 0 || es[i + 2] != 1) {
        continue;
      }
      int start = i + 3;
      int header = u8(es, start);
      switch (video.codec) {
        case "h264" -> {
          if ((header & 0x1F) == 7) {
            return SequenceHeader.h264(nal(es, start));
          }
        }
        case "hevc" -> {
          if (((header >> 1) & 0x3F) == 33) {
            return SequenceHeader.hevc(nal(es, start));
          }
        }
        case "mpeg2video" -> {
          if (header == 0xB3) {
            return SequenceHeader.mpeg2(java.util.Arrays.copyOfRange(es, start + 1, Math.min(es.length, start + 9)));
          }
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  /** The NAL unit starting at {@code start}, up to the next start code (or the bytes we have). */
  private static byte[] nal(byte[] es, int start) {
    int end = start + 1;
    while (end + 2 < es.length && !(es[end] == 0 && es[end + 1] == 0 && (es[end + 2] == 1 || es[end + 2] == 0))) {
      end++;
    }
    if (end + 2 >= es.length) {
      end = es.length;
    }
    return java.util.Arrays.copyOfRange(es, start, end);
  }

  // ---------------------------------------------------------------- timing

  /** The median spacing of the head's video timestamps, in display order. */
  private double frameRateFromTimestamps() {
    List<Long> sorted = videoPts.stream().distinct().sorted().toList();
    if (sorted.size() < 2) {
      throw UnreadableVideoException.unsupported("the video states no frame rate and has too few frames in the head"
          + " to measure one");
    }
    long[] deltas = new long[sorted.size() - 1];
    for (int i = 1; i < sorted.size(); i++) {
      deltas[i - 1] = sorted.get(i) - sorted.get(i - 1);
    }
    java.util.Arrays.sort(deltas);
    long median = deltas[deltas.length / 2];
    if (median <= 0) {
      throw UnreadableVideoException.corrupt("the video timestamps do not advance");
    }
    return 90_000.0 / median;
  }

  private long lastVideo = -1;
  private long lastAudio = -1;
  private long base;

  private void tailPacket(byte[] d, int pid, boolean unitStart, int payload, int end) {
    if (!unitStart || streams == null) {
      return;
    }
    boolean isVideo = video != null && pid == video.pid;
    if (!isVideo && !isAudio(pid)) {
      return;
    }
    Long pts = pts(d, payload, end);
    if (pts == null) {
      return;
    }
    long relative = signed(pts - base); // a wrap of the 33-bit clock is undone here
    if (isVideo) {
      lastVideo = Math.max(lastVideo, relative);
    } else {
      lastAudio = Math.max(lastAudio, relative);
    }
  }

  /**
   * From the earliest timestamp of the head to the latest of the tail plus one frame, as ffprobe
   * measures it: the last video frame lasts one frame; the last audio packet's length is unknown
   * and counted as zero.
   */
  private double duration(double frameRate) {
    base = videoPts.stream().mapToLong(Long::longValue).min().orElseThrow();
    long start = 0;
    if (firstAudioPts != null) {
      start = Math.min(0, signed(firstAudioPts - base)); // audio may start before the first video frame
    }
    long tailFrom = Math.max(0, size - TAIL);
    scanTail(tailFrom, (int) (size - tailFrom));
    if (lastVideo < 0 && lastAudio < 0 && tailFrom > 0) {
      long from = Math.max(0, tailFrom - MORE_TAIL);
      scanTail(from, (int) (tailFrom - from));
    }
    if (lastVideo < 0 && lastAudio < 0) {
      throw UnreadableVideoException.corrupt("no timestamps near the end of the transport stream");
    }
    double end = Math.max(lastVideo < 0 ? 0 : lastVideo + 90_000 / frameRate, lastAudio);
    return (end - start) / 90_000;
  }

  /**
   * A difference of two 33-bit timestamps, wrap-around undone, in (-2^32, 2^32]: files up to 13
   * hours, far beyond what the pipeline accepts.
   */
  private static long signed(long difference) {
    long d = Math.floorMod(difference, PTS_MODULO);
    return d > PTS_MODULO / 2 ? d - PTS_MODULO : d;
  }

  private void scanTail(long from, int length) {
    byte[] tail = reads.bytes(from, length, 0);
    int at = sync(tail, 0);
    while (at >= 0 && at + 188 <= tail.length) {
      if (tail[at] != 0x47) {
        at = sync(tail, at);
        continue;
      }
      packet(tail, at, true);
      at += packetSize;
    }
  }
}
