package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.UnreadableVideoException.Code;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;

/** AVI: the header list and nothing else, and RIFF chunks that lie. */
class AviProbeTest {

  private static final int HEAD = VideoProbe.HEAD_BYTES;

  private static VideoMetadata probe(byte[] file) {
    CountingByteSource source = CountingByteSource.of(file);
    return new VideoProbe().probe(source, Container.AVI, source.head(HEAD));
  }

  private static UnreadableVideoException refusal(byte[] file) {
    try {
      probe(file);
    } catch (UnreadableVideoException e) {
      return e;
    }
    throw new AssertionError("the probe accepted the file");
  }

  /** A RIFF chunk: FourCC, little-endian size, data padded to an even length. */
  private static byte[] chunk(String id, byte[]... data) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] d : data) {
      content.writeBytes(d);
    }
    byte[] body = content.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length).put(body);
    return b.array();
  }

  private static byte[] list(String type, byte[]... chunks) {
    byte[][] all = new byte[chunks.length + 1][];
    all[0] = type.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(chunks, 0, all, 1, chunks.length);
    return chunk("LIST", all);
  }

  private static byte[] riff(byte[]... chunks) {
    byte[][] all = new byte[chunks.length + 1][];
    all[0] = "AVI ".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(chunks, 0, all, 1, chunks.length);
    return chunk("RIFF", all);
  }

  private static int indexOf(byte[] file, String fourcc) {
    byte[] needle = fourcc.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i + 4 <= file.length; i++) {
      if (Arrays.equals(file, i, i + 4, needle, 0, 4)) {
        return i;
      }
    }
    throw new IllegalArgumentException(fourcc);
  }

  @Test
  void readsTheHeaderListFromTheHeadAlone() {
    CountingByteSource source = CountingByteSource.of(Clip.AVI.bytes());
    new VideoProbe().probe(source, Container.AVI, source.head(HEAD));
    assertThat(source.reads()).isZero();
  }

  @Test
  void readsAHeaderListBeyondTheHeadInOneRead() {
    byte[] original = Clip.AVI.bytes();
    byte[] junk = chunk("JUNK", new byte[200_000]);
    byte[] rest = Arrays.copyOfRange(original, 12, original.length);
    byte[] file = riff(junk, rest);
    CountingByteSource source = CountingByteSource.of(file);
    VideoMetadata metadata = new VideoProbe().probe(source, Container.AVI, source.head(HEAD));
    assertThat(metadata.videoCodec()).isEqualTo("mpeg4");
    assertThat(source.reads()).isEqualTo(1);
  }

  @Test
  void refusesATruncatedAvi() {
    byte[] file = Clip.AVI.bytes();
    assertThat(refusal(Arrays.copyOf(file, file.length / 2)).code()).isEqualTo(Code.TRUNCATED);
  }

  @Test
  void refusesAnAviWithoutVideo() {
    byte[] file = Clip.AVI.bytes();
    int vids = indexOf(file, "vids");
    System.arraycopy("txts".getBytes(StandardCharsets.ISO_8859_1), 0, file, vids, 4);
    assertThat(refusal(file).code()).isEqualTo(Code.NO_VIDEO_STREAM);
  }

  @Test
  void refusesAChunkLargerThanItsList() {
    byte[] file = Clip.AVI.bytes();
    int avih = indexOf(file, "avih");
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(avih + 4, 1_000_000);
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesListsNestedThousandDeep() {
    byte[] nested = chunk("strh", new byte[56]);
    for (int i = 0; i < 1000; i++) {
      nested = list("strl", nested);
    }
    byte[] file = riff(list("hdrl", chunk("avih", new byte[56]), nested), list("movi"));
    assertThat(refusal(file).code()).isEqualTo(Code.TOO_DEEP);
  }

  @Test
  void refusesAListTooShortToNameItsType() {
    byte[] file = Clip.AVI.bytes();
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(indexOf(file, "hdrl") - 4, 2);
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAnAviWhoseMediaComesBeforeItsHeaderList() {
    byte[] file = riff(list("movi", chunk("00dc", new byte[100])), list("hdrl", chunk("avih", new byte[56])));
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }
}
