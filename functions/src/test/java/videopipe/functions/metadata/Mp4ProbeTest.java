package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static videopipe.functions.metadata.Mp4Boxes.box;
import static videopipe.functions.metadata.Mp4Boxes.concat;
import static videopipe.functions.metadata.Mp4Boxes.container;
import static videopipe.functions.metadata.Mp4Boxes.fullBox;
import static videopipe.functions.metadata.Mp4Boxes.ints;
import static videopipe.functions.metadata.Mp4Boxes.leaf;
import static videopipe.functions.metadata.Mp4Boxes.matrix;
import static videopipe.functions.metadata.Mp4Boxes.raw;
import static videopipe.functions.metadata.Mp4Boxes.top;
import static videopipe.functions.metadata.Mp4Boxes.zeros;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.Mp4Boxes.Node;
import videopipe.functions.metadata.UnreadableVideoException.Code;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;

/**
 * MP4 and QuickTime layouts, and files whose boxes lie. Hostile files are derived from real
 * moov-at-end clips, whose moov can be edited without moving any media.
 */
class Mp4ProbeTest {

  private static final int HEAD = VideoProbe.HEAD_BYTES;

  private static VideoMetadata probe(byte[] file) {
    CountingByteSource source = CountingByteSource.of(file);
    return new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
  }

  private static UnreadableVideoException refusal(byte[] file) {
    try {
      probe(file);
    } catch (UnreadableVideoException e) {
      return e;
    }
    throw new AssertionError("the probe accepted the file");
  }

  /** The moov-at-end clip with its moov replaced by what {@code edit} makes of it. */
  private static byte[] withMoov(java.util.function.Consumer<Node> edit) {
    List<Node> boxes = Mp4Boxes.parse(Clip.MP4_MOOV_AT_END.bytes());
    edit.accept(top(boxes, "moov"));
    return Mp4Boxes.write(boxes);
  }

  private static byte[] movieWithoutMoov() {
    List<Node> boxes = new ArrayList<>(Mp4Boxes.parse(Clip.MP4_MOOV_AT_END.bytes()));
    boxes.remove(top(boxes, "moov"));
    return Mp4Boxes.write(boxes);
  }

  private static byte[] largeSizeHeader(String type, long size) {
    return ByteBuffer.allocate(16).putInt(1).put(type.getBytes()).putLong(size).array();
  }

  @Test
  void readsAFastStartMovieFromTheHeadAlone() {
    CountingByteSource source = CountingByteSource.of(Clip.MP4_FAST_START.bytes());
    new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
    assertThat(source.reads()).isZero();
  }

  @Test
  void fetchesTheHeadInOneReadWhenNotGivenIt() {
    CountingByteSource source = CountingByteSource.of(Clip.MP4_FAST_START.bytes());
    new VideoProbe().probe(source, Container.MP4);
    assertThat(source.ranges()).containsExactly(new CountingByteSource.Range(0, source.head(HEAD).length));
  }

  @Test
  void findsTheMoovAfterTheMediaDataInOneReadBeyondTheHead() {
    CountingByteSource source = CountingByteSource.of(Clip.MP4_LONG.bytes());
    new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
    assertThat(source.ranges()).hasSize(1).allSatisfy(r -> assertThat(r.offset()).isGreaterThanOrEqualTo(HEAD));
  }

  @Test
  void readsRotationFromTrackMatrix() {
    assertThat(probe(Clip.MP4_ROTATED.bytes()).rotation()).isEqualTo(90);
  }

  @Test
  void turnsThePictureSizeForDisplayWhenRotatedAQuarter() {
    VideoMetadata rotated = probe(Clip.MP4_ROTATED.bytes());
    assertThat(List.of(rotated.displayWidth(), rotated.displayHeight())).containsExactly(90, 160);
  }

  @Test
  void addsTheMovieMatrixRotationToTheTrackMatrixRotation() {
    byte[] file = withMoov(moov -> {
      byte[] mvhd = moov.find("mvhd").payload;
      System.arraycopy(matrix(0, 1, -1, 0), 0, mvhd, 36, 36);
      byte[] tkhd = moov.find("trak/tkhd").payload;
      System.arraycopy(matrix(0, 1, -1, 0), 0, tkhd, 40, 36);
    });
    assertThat(probe(file).rotation()).isEqualTo(180);
  }

  @Test
  void reads64BitBoxSizes() {
    byte[] original = Clip.MP4_MOOV_AT_END.bytes();
    List<Node> boxes = Mp4Boxes.parse(original);
    List<Node> rewritten = new ArrayList<>();
    for (Node b : boxes) {
      if (b.type.equals("free")) {
        continue; // ffmpeg leaves these 8 bytes for a 64-bit mdat header
      }
      if (b.type.equals("mdat")) {
        rewritten.add(raw(concat(largeSizeHeader("mdat", 16 + b.payload.length), b.payload)));
      } else if (b.type.equals("moov")) {
        byte[] moov = b.bytes();
        rewritten.add(raw(concat(largeSizeHeader("moov", moov.length + 8), Arrays.copyOfRange(moov, 8, moov.length))));
      } else {
        rewritten.add(b);
      }
    }
    assertThat(probe(Mp4Boxes.write(rewritten))).usingRecursiveComparison().ignoringFields("bitrate")
        .isEqualTo(probe(original));
  }

  @Test
  void readsAMoovOfSizeZeroAsRunningToTheEndOfTheFile() {
    byte[] file = Clip.MP4_MOOV_AT_END.bytes();
    int moov = file.length - top(Mp4Boxes.parse(file), "moov").bytes().length;
    ByteBuffer.wrap(file).putInt(moov, 0);
    assertThat(probe(file).durationSeconds()).isEqualTo(1.0);
  }

  @Test
  void skipsFreeSkipWideAndUuidBoxes() {
    byte[] original = Clip.MP4_MOOV_AT_END.bytes();
    List<Node> boxes = new ArrayList<>(Mp4Boxes.parse(original));
    Node moov = top(boxes, "moov");
    moov.children.add(1, leaf("uuid", new byte[40]));
    moov.children.add(1, leaf("free", new byte[300]));
    moov.find("trak").children.add(0, leaf("skip", new byte[10]));
    boxes.add(boxes.indexOf(moov), leaf("wide", new byte[0]));
    boxes.add(boxes.indexOf(moov), leaf("skip", new byte[1000]));
    boxes.add(boxes.indexOf(moov), leaf("uuid", new byte[16]));
    byte[] file = Mp4Boxes.write(boxes);
    assertThat(probe(file)).usingRecursiveComparison().ignoringFields("bitrate").isEqualTo(probe(original));
  }

  @Test
  void refusesAMoovCutShort() {
    byte[] file = Clip.MP4_MOOV_AT_END.bytes();
    UnreadableVideoException e = refusal(Arrays.copyOf(file, file.length - 500));
    assertThat(e.code()).isEqualTo(Code.TRUNCATED);
    assertThat(e.detail()).contains("ends inside the 'moov' box");
  }

  @Test
  void refusesAFastStartMovieCutInsideItsMediaData() {
    byte[] file = Clip.MP4_FAST_START.bytes();
    UnreadableVideoException e = refusal(Arrays.copyOf(file, file.length * 3 / 4));
    assertThat(e.code()).isEqualTo(Code.TRUNCATED);
    assertThat(e.detail()).contains("ends inside the 'mdat' box");
  }

  @Test
  void refusesMediaDataWithoutAMoov() {
    UnreadableVideoException e = refusal(movieWithoutMoov());
    assertThat(e.code()).isEqualTo(Code.TRUNCATED);
    assertThat(e.detail()).contains("no 'moov' box");
  }

  @Test
  void refusesAFileWithoutMoovNorMedia() {
    assertThat(refusal(box("free", new byte[100])).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesABoxSmallerThanItsHeader() {
    byte[] file = withMoov(moov -> moov.children.add(1, raw(concat(ints(4), "trak".getBytes()))));
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesABoxLargerThanItsParent() {
    byte[] file = withMoov(moov -> moov.children.add(1, raw(concat(ints(1_000_000), "trak".getBytes(), zeros(8)))));
    UnreadableVideoException e = refusal(file);
    assertThat(e.code()).isEqualTo(Code.CORRUPT);
    assertThat(e.detail()).contains("more than its parent 'moov' holds");
  }

  @Test
  void refusesATopLevelBoxLargerThanTheFile() {
    byte[] file = concat(box("ftyp", "isom".getBytes(), ints(0)), ints(1_000_000), "mdat".getBytes(), zeros(100));
    assertThat(refusal(file).code()).isEqualTo(Code.TRUNCATED);
  }

  @Test
  void refusesASixtyFourBitSizeNoFileCanHave() {
    byte[] file = withMoov(moov -> moov.children.add(1, raw(concat(largeSizeHeader("trak", -1), zeros(8)))));
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesBoxNestedThousandDeep() {
    byte[] nested = box("tkhd", new byte[84]);
    for (int i = 0; i < 1000; i++) {
      nested = box("trak", nested);
    }
    byte[] deep = nested;
    byte[] file = withMoov(moov -> moov.children.add(1, raw(deep)));
    assertThat(refusal(file).code()).isEqualTo(Code.TOO_DEEP);
  }

  @Test
  void refusesAMoovOfTensOfThousandsOfEmptyBoxes() {
    byte[] file = withMoov(moov -> {
      for (int i = 0; i < 20_000; i++) {
        moov.children.add(1, leaf("free", new byte[0]));
      }
    });
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAMovieWithoutVideoTrack() {
    byte[] file = withMoov(moov -> moov.children.removeIf(
        b -> b.type.equals("trak") && new String(b.find("mdia/hdlr").payload, 8, 4).equals("vide")));
    assertThat(refusal(file).code()).isEqualTo(Code.NO_VIDEO_STREAM);
  }

  @Test
  void refusesAMoovWhoseTracksAreTooFarApartForTheReadBudget() {
    byte[] file = withMoov(moov -> {
      Node audio = moov.all("trak").get(1);
      for (int i = 0; i < 20; i++) {
        moov.children.add(leaf("free", new byte[100_000]));
        moov.children.add(audio);
      }
    });
    CountingByteSource source = CountingByteSource.of(file);
    assertThatThrownBy(() -> new VideoProbe().probe(source, Container.MP4, source.head(HEAD)))
        .isInstanceOfSatisfying(UnreadableVideoException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_COSTLY));
    assertThat(source.reads()).isLessThanOrEqualTo(BoundedReads.MAX_READS);
  }

  @Test
  void takesAFragmentedMovieDurationFromTheLastFragmentItsIndexPointsTo() {
    CountingByteSource source = CountingByteSource.of(Clip.MP4_FRAGMENTED.bytes());
    VideoMetadata metadata = new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
    assertThat(metadata.durationSeconds()).isCloseTo(3.0, within(0.05));
    assertThat(source.reads()).isLessThanOrEqualTo(2);
  }

  @Test
  void takesAFragmentedMovieDurationFromMehdWithoutReadingItsEnd() {
    List<Node> boxes = Mp4Boxes.parse(Clip.MP4_FRAGMENTED.bytes());
    top(boxes, "moov").find("mvex").children.add(0, leaf("mehd", concat(ints(0), ints(2_500))));
    CountingByteSource source = CountingByteSource.of(Mp4Boxes.write(boxes));
    VideoMetadata metadata = new VideoProbe().probe(source, Container.MP4, source.head(HEAD));
    assertThat(metadata.durationSeconds()).isEqualTo(2.5);
    assertThat(source.reads()).isZero();
  }

  @Test
  void refusesAFragmentedMovieWithoutDurationNorIndex() {
    byte[] file = Clip.MP4_FRAGMENTED.bytes();
    int mfra = file.length - (int) Mp4Boxes.top(Mp4Boxes.parse(file), "mfra").bytes().length;
    assertThat(refusal(Arrays.copyOf(file, mfra)).code()).isEqualTo(Code.UNSUPPORTED);
  }

  @Test
  void namesTheCodecOfTheOriginalFormatOfAnEncryptedTrack() {
    byte[] file = withMoov(moov -> {
      Node stsd = moov.find("trak/mdia/minf/stbl/stsd");
      byte[] entry = Arrays.copyOfRange(stsd.payload, 8, stsd.payload.length);
      byte[] sinf = box("sinf", box("frma", "avc1".getBytes()), fullBox("schm", 0, 0, "cenc".getBytes(), ints(0x10000)));
      byte[] encv = concat(ints(entry.length + sinf.length), "encv".getBytes(), Arrays.copyOfRange(entry, 8, entry.length), sinf);
      stsd.payload = concat(ints(0, 1), encv);
    });
    assertThat(probe(file).videoCodec()).isEqualTo("h264");
  }
}
