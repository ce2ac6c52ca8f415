package videopipe.functions.metadata;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Each container's codec identifiers mapped to the names ffprobe gives (its {@code codec_name}),
 * so that the catalog and the transcode step speak one vocabulary whatever the container. Only
 * what creators upload is listed; anything else keeps the container's own identifier.
 */
final class Codecs {
  private Codecs() {}

  /** ISO BMFF / QuickTime sample entry types (stsd). */
  private static final Map<String, String> MP4 = Map.ofEntries(
      Map.entry("avc1", "h264"), Map.entry("avc2", "h264"), Map.entry("avc3", "h264"), Map.entry("avc4", "h264"),
      Map.entry("hvc1", "hevc"), Map.entry("hev1", "hevc"), Map.entry("dvh1", "hevc"), Map.entry("dvhe", "hevc"),
      Map.entry("vp09", "vp9"), Map.entry("vp08", "vp8"), Map.entry("av01", "av1"), Map.entry("mp4v", "mpeg4"),
      Map.entry("s263", "h263"), Map.entry("h263", "h263"), Map.entry("jpeg", "mjpeg"), Map.entry("mjpa", "mjpeg"),
      Map.entry("mjpb", "mjpeg"), Map.entry("apch", "prores"), Map.entry("apcn", "prores"),
      Map.entry("apcs", "prores"), Map.entry("apco", "prores"), Map.entry("ap4h", "prores"),
      Map.entry("ap4x", "prores"), Map.entry("dvc ", "dvvideo"), Map.entry("dvcp", "dvvideo"),
      Map.entry("dv5n", "dvvideo"), Map.entry("dv5p", "dvvideo"), Map.entry("raw ", "rawvideo"),
      Map.entry("mp4a", "aac"), Map.entry(".mp3", "mp3"), Map.entry("mp3 ", "mp3"), Map.entry("ac-3", "ac3"),
      Map.entry("ec-3", "eac3"), Map.entry("Opus", "opus"), Map.entry("fLaC", "flac"), Map.entry("alac", "alac"),
      Map.entry("sowt", "pcm_s16le"), Map.entry("twos", "pcm_s16be"), Map.entry("in24", "pcm_s24be"),
      Map.entry("in32", "pcm_s32be"), Map.entry("fl32", "pcm_f32be"), Map.entry("fl64", "pcm_f64be"),
      Map.entry("ulaw", "pcm_mulaw"), Map.entry("alaw", "pcm_alaw"), Map.entry("samr", "amr_nb"),
      Map.entry("sawb", "amr_wb"), Map.entry("ima4", "adpcm_ima_qt"), Map.entry("lpcm", "pcm_s16le"),
      Map.entry("ipcm", "pcm_s16le"));

  static String mp4(String fourcc) {
    return MP4.getOrDefault(fourcc, fourcc.trim());
  }

  /**
   * The MPEG-4 objectTypeIndication of an 'esds' (ISO/IEC 14496-1 Table 5, and the MP4
   * registration authority), for 'mp4a' and 'mp4v' entries whose codec it decides.
   */
  static @Nullable String mp4ObjectType(int oti) {
    return switch (oti) {
      case 0x20 -> "mpeg4";
      case 0x21 -> "h264";
      case 0x23 -> "hevc";
      case 0x40, 0x66, 0x67, 0x68 -> "aac";
      case 0x60, 0x61, 0x62, 0x63, 0x64, 0x65 -> "mpeg2video";
      case 0x69, 0x6B -> "mp3";
      case 0x6A -> "mpeg1video";
      case 0x6C -> "mjpeg";
      case 0xA5 -> "ac3";
      case 0xA6 -> "eac3";
      case 0xA9 -> "dts";
      case 0xAD -> "opus";
      case 0xDD -> "vorbis";
      default -> null;
    };
  }

  /** Matroska CodecID (the codec mapping of the Matroska specification). */
  static String matroska(String codecId) {
    String id = codecId;
    if (id.startsWith("A_AAC")) {
      return "aac";
    }
    return switch (id) {
      case "V_MPEG4/ISO/AVC" -> "h264";
      case "V_MPEGH/ISO/HEVC" -> "hevc";
      case "V_VP8" -> "vp8";
      case "V_VP9" -> "vp9";
      case "V_AV1" -> "av1";
      case "V_MPEG4/ISO/ASP", "V_MPEG4/ISO/SP", "V_MPEG4/ISO/AP" -> "mpeg4";
      case "V_MPEG2" -> "mpeg2video";
      case "V_MPEG1" -> "mpeg1video";
      case "V_MJPEG" -> "mjpeg";
      case "V_PRORES" -> "prores";
      case "V_THEORA" -> "theora";
      case "V_FFV1" -> "ffv1";
      case "V_UNCOMPRESSED" -> "rawvideo";
      case "A_OPUS" -> "opus";
      case "A_VORBIS" -> "vorbis";
      case "A_MPEG/L3" -> "mp3";
      case "A_MPEG/L2" -> "mp2";
      case "A_MPEG/L1" -> "mp1";
      case "A_AC3" -> "ac3";
      case "A_EAC3" -> "eac3";
      case "A_DTS" -> "dts";
      case "A_FLAC" -> "flac";
      case "A_ALAC" -> "alac";
      case "A_TRUEHD" -> "truehd";
      case "A_PCM/INT/LIT" -> "pcm_s16le";
      case "A_PCM/INT/BIG" -> "pcm_s16be";
      case "A_PCM/FLOAT/IEEE" -> "pcm_f32le";
      default -> id;
    };
  }

  /** AVI / VfW BITMAPINFOHEADER biCompression FourCCs; case varies in the wild. */
  static String aviVideo(String fourcc) {
    String f = fourcc.toUpperCase(Locale.ROOT);
    return switch (f) {
      case "FMP4", "XVID", "DIVX", "DX50", "MP4V", "M4S2", "3IV2", "DIV4", "DIV5" -> "mpeg4";
      case "H264", "X264", "AVC1", "DAVC", "VSSH" -> "h264";
      case "HEVC", "H265", "X265", "HVC1" -> "hevc";
      case "MJPG", "AVRN", "LJPG", "JPGL" -> "mjpeg";
      case "DIV3", "MP43" -> "msmpeg4v3";
      case "MP42" -> "msmpeg4v2";
      case "WMV1" -> "wmv1";
      case "WMV2" -> "wmv2";
      case "WMV3" -> "wmv3";
      case "VP80" -> "vp8";
      case "VP90" -> "vp9";
      case "AV01" -> "av1";
      case "MPG2", "MPEG" -> "mpeg2video";
      case "CVID" -> "cinepak";
      case "DVSD" -> "dvvideo";
      case "FFV1" -> "ffv1";
      case "\0\0\0\0", "????" -> "rawvideo";
      default -> fourcc.trim();
    };
  }

  /** WAVEFORMATEX wFormatTag (mmreg.h), with the PCM bit depth that decides ffprobe's name. */
  static String aviAudio(int formatTag, int bitsPerSample) {
    return switch (formatTag) {
      case 0x0001 -> switch (bitsPerSample) {
        case 8 -> "pcm_u8";
        case 24 -> "pcm_s24le";
        case 32 -> "pcm_s32le";
        default -> "pcm_s16le";
      };
      case 0x0003 -> bitsPerSample == 64 ? "pcm_f64le" : "pcm_f32le";
      case 0x0006 -> "pcm_alaw";
      case 0x0007 -> "pcm_mulaw";
      case 0x0011 -> "adpcm_ima_wav";
      case 0x0002 -> "adpcm_ms";
      case 0x0050 -> "mp2";
      case 0x0055 -> "mp3";
      case 0x00FF, 0x1600, 0x1601, 0x1602, 0x1610, 0x706D -> "aac";
      case 0x0160 -> "wmav1";
      case 0x0161 -> "wmav2";
      case 0x2000 -> "ac3";
      case 0x2001 -> "dts";
      case 0x566F -> "vorbis";
      case 0xF1AC -> "flac";
      default -> String.format("0x%04x", formatTag);
    };
  }
}
