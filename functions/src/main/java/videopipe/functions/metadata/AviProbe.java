package videopipe.functions.metadata;

import static videopipe.functions.metadata.Bytes.fourcc;
import static videopipe.functions.metadata.Bytes.u16le;
import static videopipe.functions.metadata.Bytes.u32le;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * AVI: RIFF 'AVI ' → LIST 'hdrl', which holds everything we need: the main header (avih), one
 * LIST 'strl' per stream with its header (strh: type, rate and scale, length) and format (strf:
 * BITMAPINFOHEADER for video, WAVEFORMATEX for audio), and the OpenDML total frame count (dmlh).
 * Writers put the header list first; it is read in one piece, and nothing after it.
 */
final class AviProbe {

  private static final int MAX_DEPTH = 16;
  private static final int MAX_CHUNKS = 4096;
  private static final int MAX_HEADER_LIST = 256 * 1024;

  private final BoundedReads reads;
  private final long size;
  private int chunks;

  private static final class Stream {
    String type = "";
    String handler = "";
    long scale;
    long rate;
    long length;
    int width;
    int height;
    @Nullable String codec;
  }

  private long microsPerFrame;
  private long totalFrames;
  private long odmlFrames;
  private int mainWidth;
  private int mainHeight;
  private final List<Stream> streams = new ArrayList<>();

  AviProbe(BoundedReads reads) {
    this.reads = reads;
    this.size = reads.size();
  }

  VideoMetadata probe() {
    byte[] riff = reads.bytes(0, 12, 0);
    if (riff.length < 12 || !fourcc(riff, 0).equals("RIFF") || !fourcc(riff, 8).equals("AVI ")) {
      throw UnreadableVideoException.corrupt("the file does not start with a RIFF 'AVI ' header: it is not an AVI");
    }
    long riffEnd = 8 + u32le(riff, 4);
    if (riffEnd > size && u32le(riff, 4) != 0) {
      throw UnreadableVideoException.truncated("the file ends inside its RIFF 'AVI ' chunk: the upload looks truncated ("
          + size + " of " + riffEnd + " bytes)");
    }
    long end = u32le(riff, 4) == 0 ? size : riffEnd;
    long offset = 12;
    byte[] hdrl = null;
    while (offset + 12 <= end) {
      if (++chunks > MAX_CHUNKS) {
        throw UnreadableVideoException.corrupt("the AVI has more than " + MAX_CHUNKS + " chunks before its header list");
      }
      byte[] h = reads.bytes(offset, 12, 16 * 1024);
      String id = fourcc(h, 0);
      long length = u32le(h, 4);
      long next = offset + 8 + length + (length & 1);
      if (offset + 8 + length > end) {
        throw UnreadableVideoException.truncated("the file ends inside the AVI chunk '" + id + "' at offset " + offset
            + ": the upload looks truncated");
      }
      if (id.equals("LIST") && length < 4) {
        throw UnreadableVideoException.corrupt("the AVI list at offset " + offset + " is too short to name its type");
      }
      if (id.equals("LIST") && fourcc(h, 8).equals("hdrl")) {
        if (length > MAX_HEADER_LIST) {
          throw new UnreadableVideoException(UnreadableVideoException.Code.TOO_COSTLY,
              "the AVI header list is " + length + " bytes, more than the " + MAX_HEADER_LIST / 1024 + " KiB the probe reads");
        }
        hdrl = reads.bytes(offset + 12, (int) length - 4, 0);
        break;
      }
      if (id.equals("LIST") && fourcc(h, 8).equals("movi")) {
        break; // the media came first: there is no header list to find
      }
      offset = next;
    }
    if (hdrl == null) {
      throw UnreadableVideoException.corrupt("the AVI has no header list ('hdrl') before its media");
    }
    list(hdrl, 0, hdrl.length, 1, null);

    Stream video = streams.stream().filter(s -> s.type.equals("vids")).findFirst()
        .orElseThrow(() -> UnreadableVideoException.noVideo("the AVI has no video stream"));
    List<Stream> audio = streams.stream().filter(s -> s.type.equals("auds")).toList();
    double frameRate = video.rate > 0 && video.scale > 0 ? (double) video.rate / video.scale
        : microsPerFrame > 0 ? 1e6 / microsPerFrame : 0;
    double duration = 0;
    for (Stream s : streams) {
      if (s.rate > 0 && s.scale > 0) {
        duration = Math.max(duration, (double) s.length * s.scale / s.rate);
      }
    }
    if (duration <= 0 && frameRate > 0) {
      long frames = Math.max(odmlFrames, totalFrames);
      duration = frames / frameRate;
    }
    String codec = video.codec != null ? video.codec : Codecs.aviVideo(video.handler);
    int width = video.width > 0 ? video.width : mainWidth;
    int height = video.height > 0 ? video.height : mainHeight;
    return Probes.metadata(Container.AVI, size, duration, width, height, 0, frameRate, codec,
        audio.isEmpty() ? null : audio.get(0).codec, audio.size());
  }

  /** The chunks of a LIST's content in {@code [from, to)}; {@code stream} is the strl being read. */
  private void list(byte[] d, int from, int to, int depth, @Nullable Stream stream) {
    if (depth > MAX_DEPTH) {
      throw UnreadableVideoException.tooDeep("AVI lists are nested more than " + MAX_DEPTH + " deep");
    }
    int at = from;
    while (at + 8 <= to) {
      if (++chunks > MAX_CHUNKS) {
        throw UnreadableVideoException.corrupt("the AVI header list has more than " + MAX_CHUNKS + " chunks");
      }
      String id = fourcc(d, at);
      long length = u32le(d, at + 4);
      int data = at + 8;
      if (length > to - data) {
        throw UnreadableVideoException.corrupt("the AVI chunk '" + id + "' claims " + length
            + " bytes, more than its list holds");
      }
      int end = data + (int) length;
      switch (id) {
        case "LIST" -> {
          if (length >= 4) {
            String type = fourcc(d, data);
            Stream inner = stream;
            if (type.equals("strl")) {
              inner = new Stream();
              streams.add(inner);
            }
            list(d, data + 4, end, depth + 1, inner);
          }
        }
        case "avih" -> {
          if (length >= 40) {
            microsPerFrame = u32le(d, data);
            totalFrames = u32le(d, data + 16);
            mainWidth = (int) Math.min(u32le(d, data + 32), Integer.MAX_VALUE);
            mainHeight = (int) Math.min(u32le(d, data + 36), Integer.MAX_VALUE);
          }
        }
        case "dmlh" -> {
          if (length >= 4) {
            odmlFrames = u32le(d, data);
          }
        }
        case "strh" -> {
          if (stream != null && length >= 36) {
            stream.type = fourcc(d, data);
            stream.handler = fourcc(d, data + 4);
            stream.scale = u32le(d, data + 20);
            stream.rate = u32le(d, data + 24);
            stream.length = u32le(d, data + 32);
          }
        }
        case "strf" -> {
          if (stream != null) {
            format(d, data, (int) length, stream);
          }
        }
        default -> { }
      }
      at = end + (int) (length & 1);
    }
  }

  private static void format(byte[] d, int data, int length, Stream stream) {
    if (stream.type.equals("vids") && length >= 20) {
      stream.width = Math.abs(s32le(d, data + 4));
      stream.height = Math.abs(s32le(d, data + 8)); // negative: a top-down bitmap
      stream.codec = Codecs.aviVideo(fourcc(d, data + 16));
    } else if (stream.type.equals("auds") && length >= 16) {
      int tag = u16le(d, data);
      int bits = u16le(d, data + 14);
      if (tag == 0xFFFE && length >= 40) {
        tag = u16le(d, data + 24); // WAVEFORMATEXTENSIBLE: the sub-format GUID starts with the tag
      }
      stream.codec = Codecs.aviAudio(tag, bits);
    }
  }

  private static int s32le(byte[] d, int at) {
    return (int) u32le(d, at);
  }
}
