package videopipe.functions.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.Container;
import videopipe.functions.validate.ContainerDetector.Detection;

/**
 * Detection looks at bytes only. These heads are the first bytes of real formats, built in code;
 * the integration tests run the detector on whole clips made by ffmpeg.
 */
class ContainerDetectorTest {

  private final ContainerDetector detector = new ContainerDetector();

  @Test
  void recognisesMp4ByItsFtypBox() {
    assertThat(detector.detect(ftyp("isom"))).isEqualTo(new Detection.Video(Container.MP4, "video/mp4"));
  }

  @Test
  void recognisesQuickTimeByItsBrand() {
    assertThat(detector.detect(ftyp("qt  "))).isInstanceOf(Detection.Video.class)
        .extracting(d -> ((Detection.Video) d).container()).isEqualTo(Container.MOV);
  }

  @Test
  void recognisesAvi() {
    byte[] head = new byte[64];
    put(head, 0, "RIFF");
    put(head, 8, "AVI LIST");
    assertThat(((Detection.Video) detector.detect(head)).container()).isEqualTo(Container.AVI);
  }

  @Test
  void callsAnElfBinaryAnExecutable() {
    byte[] head = new byte[64];
    head[0] = 0x7f;
    put(head, 1, "ELF");
    head[4] = 2;
    head[5] = 1;
    head[6] = 1;
    head[16] = 2; // ET_EXEC
    assertThat(detector.detect(head)).isInstanceOf(Detection.Executable.class);
  }

  @Test
  void callsAWindowsProgramAnExecutable() {
    byte[] head = new byte[256];
    put(head, 0, "MZ");
    head[0x3c] = (byte) 0x80;
    put(head, 0x80, "PE\0\0");
    assertThat(detector.detect(head)).isInstanceOf(Detection.Executable.class);
  }

  @Test
  void callsAPngNotAVideo() {
    byte[] head = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    assertThat(detector.detect(head)).isEqualTo(new Detection.NotVideo("image/png"));
  }

  @Test
  void callsAPdfNotAVideo() {
    assertThat(detector.detect("%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo(new Detection.NotVideo("application/pdf"));
  }

  @Test
  void callsAZipNotAVideo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("movie.mp4"));
      zip.write(new byte[100]);
      zip.closeEntry();
    }
    assertThat(detector.detect(bytes.toByteArray())).isInstanceOf(Detection.NotVideo.class);
  }

  @Test
  void callsRandomBytesNotAVideo() {
    byte[] head = new byte[4096];
    new java.util.Random(7).nextBytes(head);
    head[0] = 0x13; // not a sync byte or any magic
    assertThat(detector.detect(head)).isInstanceOf(Detection.NotVideo.class);
  }

  private static byte[] ftyp(String brand) {
    byte[] head = new byte[32];
    head[3] = 24;
    put(head, 4, "ftyp" + brand);
    put(head, 16, brand + "mp41");
    return head;
  }

  private static void put(byte[] a, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, a, at, b.length);
  }
}
