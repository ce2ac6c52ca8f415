package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static videopipe.functions.metadata.Ebml.concat;
import static videopipe.functions.metadata.Ebml.element;
import static videopipe.functions.metadata.Ebml.find;
import static videopipe.functions.metadata.Ebml.number;
import static videopipe.functions.metadata.Ebml.string;
import static videopipe.functions.metadata.Ebml.uint;
import static videopipe.functions.metadata.Ebml.unknownSize;
import static videopipe.functions.metadata.MatroskaProbe.CLUSTER;
import static videopipe.functions.metadata.MatroskaProbe.DEFAULT_DURATION;
import static videopipe.functions.metadata.MatroskaProbe.EBML;
import static videopipe.functions.metadata.MatroskaProbe.INFO;
import static videopipe.functions.metadata.MatroskaProbe.SEEK;
import static videopipe.functions.metadata.MatroskaProbe.SEEK_HEAD;
import static videopipe.functions.metadata.MatroskaProbe.SEEK_ID;
import static videopipe.functions.metadata.MatroskaProbe.SEEK_POSITION;
import static videopipe.functions.metadata.MatroskaProbe.SEGMENT;
import static videopipe.functions.metadata.MatroskaProbe.TRACKS;
import static videopipe.functions.metadata.MatroskaProbe.TRACK_ENTRY;
import static videopipe.functions.metadata.MatroskaProbe.VIDEO;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.Ebml.Element;
import videopipe.functions.metadata.UnreadableVideoException.Code;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;

/**
 * Matroska and WebM layouts (live recordings, elements away from the head, unknown sizes) and
 * EBML that lies. Edited files are assembled from the elements of real clips.
 */
class MatroskaProbeTest {

  private static final int HEAD = VideoProbe.HEAD_BYTES;

  private static VideoMetadata probe(byte[] file) {
    CountingByteSource source = CountingByteSource.of(file);
    return new VideoProbe().probe(source, Container.MATROSKA, source.head(HEAD));
  }

  private static UnreadableVideoException refusal(byte[] file) {
    try {
      probe(file);
    } catch (UnreadableVideoException e) {
      return e;
    }
    throw new AssertionError("the probe accepted the file");
  }

  private static byte[] ebmlHeader(Clip clip) {
    return find(Ebml.top(clip.bytes()), EBML).bytes();
  }

  private static byte[] part(Clip clip, long id) {
    return find(Ebml.segment(clip.bytes()), id).bytes();
  }

  /** A file of the clip's EBML header and a known-size Segment holding {@code children}. */
  private static byte[] matroska(Clip clip, byte[]... children) {
    return concat(ebmlHeader(clip), element(SEGMENT, children));
  }

  /** A file with one video track whose TrackEntry holds {@code entry}. */
  private static byte[] withTrackEntry(byte[]... entry) {
    return matroska(Clip.MKV, part(Clip.MKV, INFO), element(TRACKS, element(TRACK_ENTRY, entry)));
  }

  @Test
  void namesAFileByItsDocTypeWhateverItWasDeclared() {
    CountingByteSource source = CountingByteSource.of(Clip.MKV.bytes());
    assertThat(new VideoProbe().probe(source, Container.WEBM).container()).isEqualTo(Container.MATROSKA);
  }

  @Test
  void readsRotationFromProjectionPoseRoll() {
    assertThat(probe(Clip.MKV_ROTATED.bytes()).rotation()).isEqualTo(270);
  }

  @Test
  void readsRotationFromARotateTag() {
    byte[] tags = element(MatroskaProbe.TAGS, element(MatroskaProbe.TAG,
        element(MatroskaProbe.SIMPLE_TAG, string(MatroskaProbe.TAG_NAME, "ROTATE"), string(MatroskaProbe.TAG_STRING, "90"))));
    byte[] file = matroska(Clip.MKV, part(Clip.MKV, INFO), part(Clip.MKV, TRACKS), tags, part(Clip.MKV, CLUSTER));
    assertThat(probe(file).rotation()).isEqualTo(90);
  }

  @Test
  void measuresALiveRecordingWithoutDurationFromItsLastCluster() {
    assertThat(probe(Clip.WEBM_LIVE.bytes()).durationSeconds()).isCloseTo(1.0, within(0.05));
  }

  @Test
  void readsOnlyTheLastKibibytesOfALongLiveRecording() {
    byte[][] clusters = Ebml.segment(Clip.WEBM_LIVE.bytes()).stream().filter(e -> e.id() == CLUSTER)
        .map(Element::bytes).toArray(byte[][]::new);
    byte[] padded = concat(ebmlHeader(Clip.WEBM_LIVE), unknownSize(SEGMENT, part(Clip.WEBM_LIVE, INFO),
        part(Clip.WEBM_LIVE, TRACKS), Ebml.voidOf(400_000), concat(clusters)));
    CountingByteSource source = CountingByteSource.of(padded);
    VideoMetadata metadata = new VideoProbe().probe(source, Container.WEBM, source.head(HEAD));
    assertThat(metadata.durationSeconds()).isCloseTo(1.0, within(0.05));
    assertThat(source.reads()).isEqualTo(1);
  }

  @Test
  void findsTracksAfterAnUnknownSizeCluster() {
    byte[] clusterContent = find(Ebml.segment(Clip.WEBM.bytes()), CLUSTER).data();
    byte[] file = concat(ebmlHeader(Clip.WEBM), unknownSize(SEGMENT, part(Clip.WEBM, INFO),
        unknownSize(CLUSTER, clusterContent), part(Clip.WEBM, TRACKS)));
    VideoMetadata metadata = probe(file);
    assertThat(List.of(metadata.videoCodec(), metadata.audioCodec())).containsExactly("vp9", "opus");
  }

  @Test
  void followsTheSeekHeadToTracksBeyondTheHead() {
    byte[] info = part(Clip.MKV, INFO);
    byte[] cluster = element(CLUSTER, Ebml.voidOf(300_000));
    byte[] seekHead = element(SEEK_HEAD, element(SEEK, element(SEEK_ID, Ebml.id(TRACKS)), uint(SEEK_POSITION, 0)));
    int tracksAt = seekHead.length + info.length + cluster.length;
    seekHead = element(SEEK_HEAD, element(SEEK, element(SEEK_ID, Ebml.id(TRACKS)), uint(SEEK_POSITION, tracksAt)));
    byte[] file = matroska(Clip.MKV, seekHead, info, cluster, part(Clip.MKV, TRACKS));
    CountingByteSource source = CountingByteSource.of(file);
    VideoMetadata metadata = new VideoProbe().probe(source, Container.MATROSKA, source.head(HEAD));
    assertThat(metadata.width()).isEqualTo(160);
    assertThat(source.reads()).isEqualTo(1);
  }

  @Test
  void takesTheFrameRateFromBlockTimestampsWithoutDefaultDuration() {
    byte[] file = Clip.MKV.bytes();
    Element tracks = find(Ebml.segment(file), TRACKS);
    Element entry = find(Ebml.elements(file, tracks.dataStart(), tracks.end()), TRACK_ENTRY);
    Element defaultDuration = find(Ebml.elements(file, entry.dataStart(), entry.end()), DEFAULT_DURATION);
    byte[] voided = file.clone();
    Arrays.fill(voided, defaultDuration.offset(), defaultDuration.end(), (byte) 0);
    voided[defaultDuration.offset()] = (byte) 0xEC; // Void, same length: nothing moves
    voided[defaultDuration.offset() + 1] = (byte) (0x80 | (defaultDuration.end() - defaultDuration.offset() - 2));
    assertThat(probe(voided).frameRate()).isCloseTo(25.0, within(0.25));
  }

  @Test
  void refusesASizeWithoutLengthMarker() {
    byte[] file = Clip.MKV.bytes();
    Element tracks = find(Ebml.segment(file), TRACKS);
    file[tracks.offset() + 4] = 0;
    UnreadableVideoException e = refusal(file);
    assertThat(e.code()).isEqualTo(Code.CORRUPT);
    assertThat(e.detail()).contains("no length marker");
  }

  @Test
  void refusesAnIdLongerThanFourBytes() {
    byte[] file = withTrackEntry(new byte[] {0x08, 0, 0, 0, 0, (byte) 0x80});
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesElementsNestedThousandDeep() {
    byte[] nested = uint(MatroskaProbe.PIXEL_WIDTH, 160);
    for (int i = 0; i < 1000; i++) {
      nested = element(VIDEO, nested);
    }
    assertThat(refusal(withTrackEntry(uint(MatroskaProbe.TRACK_TYPE, 1), nested)).code()).isEqualTo(Code.TOO_DEEP);
  }

  @Test
  void refusesASegmentLargerThanTheFile() {
    byte[] file = Clip.MKV.bytes();
    UnreadableVideoException e = refusal(Arrays.copyOf(file, file.length / 2));
    assertThat(e.code()).isEqualTo(Code.TRUNCATED);
  }

  @Test
  void refusesAChildLargerThanItsParent() {
    byte[] lying = concat(Ebml.id(VIDEO), new byte[] {0x1F, -1, -1, -2}); // claims 268 MB inside a tiny entry
    assertThat(refusal(withTrackEntry(uint(MatroskaProbe.TRACK_TYPE, 1), lying)).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAnUnknownSizeWhereOnlySegmentsAndClustersMayHaveOne() {
    byte[] file = matroska(Clip.MKV, unknownSize(INFO, number(MatroskaProbe.DURATION, 1000)), part(Clip.MKV, TRACKS));
    assertThat(refusal(file).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAFileWithoutVideoTrack() {
    byte[] file = withTrackEntry(uint(MatroskaProbe.TRACK_NUMBER, 1), uint(MatroskaProbe.TRACK_TYPE, 2),
        string(MatroskaProbe.CODEC_ID, "A_OPUS"));
    assertThat(refusal(file).code()).isEqualTo(Code.NO_VIDEO_STREAM);
  }

  @Test
  void refusesAFileThatIsNotEbml() {
    assertThat(refusal(new byte[4096]).code()).isEqualTo(Code.CORRUPT);
  }
}
