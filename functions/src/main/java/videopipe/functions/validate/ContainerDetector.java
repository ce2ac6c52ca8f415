package videopipe.functions.validate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;
import videopipe.functions.metadata.Container;

/**
 * Tells what a file is from its first bytes alone: the file name and the declared content type are
 * the creator's words, the bytes are the truth.
 *
 * <p>Apache Tika's magic database (maintained, thousands of types) answers "what is this" for
 * everything we refuse: images, documents, archives, programs, other video formats. For the
 * containers we accept, its table is not enough, and this class checks their structure itself:
 * <ul>
 *   <li>Tika calls every ISO-BMFF file with a plain {@code ftyp} box {@code video/quicktime}, and
 *       {@code isom}, ffmpeg's default brand, is not among its MP4 brands: the major brand decides
 *       MP4 versus MOV ({@code "qt  "}), while image and audio brands (HEIF, M4A) stay Tika's call.
 *   <li>Tika's Matroska magic expects the DocType at a fixed offset, which holds only for one
 *       writer's header layout (not ffmpeg's), and WebM has no magic at all: EBML is
 *       variable-length, so we read the header's DocType element.
 *   <li>MPEG-TS has no magic in Tika: we look for the 0x47 sync byte at every 188-byte packet start.
 * </ul>
 */
public final class ContainerDetector {

  /** What we do with each video type Tika knows (for files the structural checks did not claim). */
  private static final Map<String, Container> CONTAINERS = Map.of(
      "video/quicktime", Container.MOV,
      "video/x-msvideo", Container.AVI);

  /** ISO-BMFF brands that are not video: leave them to Tika, which names them. */
  private static final Set<String> NOT_VIDEO_BRANDS = Set.of(
      "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis",
      "M4A ", "M4B ", "M4P ", "F4A ", "F4B ", "crx ", "jp2 ", "jpx ");

  private static final int TS_PACKET = 188;
  private static final int TS_SYNC = 0x47;
  private static final int TS_PACKETS_CHECKED = 5;

  /** Programs (and their supertypes in Tika's registry): refused as disguised executables. */
  private static final Set<String> EXECUTABLES = Set.of(
      "application/x-executable", "application/x-elf", "application/x-sharedlib", "application/x-object",
      "application/x-coredump", "application/x-msdownload", "application/x-dosexec", "application/x-ms-installer",
      "application/x-mach-o", "application/x-mach-o-executable", "application/x-sh", "application/x-shellscript",
      "application/java-archive", "application/java-vm", "application/x-bat", "application/x-msdos-program");

  private final MimeTypes types = MimeTypes.getDefaultMimeTypes();
  private final MediaTypeRegistry registry = types.getMediaTypeRegistry();

  /** The verdict on some leading bytes. */
  public sealed interface Detection {
    record Video(Container container, String mediaType) implements Detection {}

    record OtherVideo(String mediaType) implements Detection {}

    record Executable(String mediaType) implements Detection {}

    record NotVideo(String mediaType) implements Detection {}
  }

  public Detection detect(byte[] head) {
    Detection structural = structural(head);
    if (structural != null) {
      return structural;
    }
    MediaType type;
    try {
      type = types.detect(new ByteArrayInputStream(head), new Metadata());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen on a byte array
    }
    for (MediaType t = type; t != null; t = registry.getSupertype(t)) {
      if (EXECUTABLES.contains(t.getBaseType().toString())) {
        return new Detection.Executable(type.toString());
      }
    }
    Container container = CONTAINERS.get(type.getBaseType().toString());
    if (container != null) {
      return new Detection.Video(container, type.toString());
    }
    if ("video".equals(type.getType())) {
      return new Detection.OtherVideo(type.toString());
    }
    return new Detection.NotVideo(type.toString());
  }

  /** Our containers, recognised by structure; null when none fits. */
  private static Detection structural(byte[] h) {
    if (h.length >= 12 && ascii(h, 4, 4).equals("ftyp")) {
      String brand = ascii(h, 8, 4);
      if (brand.equals("qt  ")) {
        return new Detection.Video(Container.MOV, "video/quicktime");
      }
      return NOT_VIDEO_BRANDS.contains(brand) ? null : new Detection.Video(Container.MP4, "video/mp4");
    }
    if (h.length >= 4 && (h[0] & 0xff) == 0x1A && (h[1] & 0xff) == 0x45 && (h[2] & 0xff) == 0xDF
        && (h[3] & 0xff) == 0xA3) {
      String docType = Ebml.docType(h);
      if ("webm".equals(docType)) {
        return new Detection.Video(Container.WEBM, "video/webm");
      }
      if ("matroska".equals(docType)) {
        return new Detection.Video(Container.MATROSKA, "video/x-matroska");
      }
      return null;
    }
    if (h.length > TS_PACKET && (h[0] & 0xff) == TS_SYNC) {
      int packets = Math.min(TS_PACKETS_CHECKED, h.length / TS_PACKET);
      for (int i = 1; i < packets; i++) {
        if ((h[i * TS_PACKET] & 0xff) != TS_SYNC) {
          return null;
        }
      }
      return packets >= 2 ? new Detection.Video(Container.MPEG_TS, "video/mp2t") : null;
    }
    return null;
  }

  private static String ascii(byte[] a, int from, int length) {
    return new String(a, from, length, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Just enough EBML to read the header's DocType. */
  static final class Ebml {
    private static final int DOC_TYPE = 0x4282;

    private Ebml() {}

    static String docType(byte[] h) {
      int[] pos = {4};
      long headerSize = vint(h, pos, true);
      if (headerSize < 0) {
        return null;
      }
      long end = Math.min(h.length, pos[0] + headerSize);
      while (pos[0] < end) {
        long id = vint(h, pos, false);
        long size = vint(h, pos, true);
        if (id < 0 || size < 0 || pos[0] + size > end) {
          return null;
        }
        if (id == DOC_TYPE) {
          return ascii(h, pos[0], (int) size).replace("\0", "").trim();
        }
        pos[0] += (int) size;
      }
      return null;
    }

    /** Reads a variable-length integer; with {@code strip} the length marker is removed (sizes), else kept (ids). */
    private static long vint(byte[] h, int[] pos, boolean strip) {
      if (pos[0] >= h.length) {
        return -1;
      }
      int first = h[pos[0]] & 0xff;
      int length = Integer.numberOfLeadingZeros(first) - 23;
      if (first == 0 || length > 8 || pos[0] + length > h.length) {
        return -1;
      }
      long value = strip ? first & (0xff >> length) : first;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (h[pos[0] + i] & 0xff);
      }
      pos[0] += length;
      return value;
    }
  }
}
