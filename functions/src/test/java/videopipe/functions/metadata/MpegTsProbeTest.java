package videopipe.functions.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.UnreadableVideoException.Code;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;

/** Transport streams: what the first and last packets tell, and streams that are not what they claim. */
class MpegTsProbeTest {

  private static final int HEAD = VideoProbe.HEAD_BYTES;
  private static final int PACKET = 188;

  private static VideoMetadata probe(byte[] file) {
    CountingByteSource source = CountingByteSource.of(file);
    return new VideoProbe().probe(source, Container.MPEG_TS, source.head(HEAD));
  }

  private static UnreadableVideoException refusal(byte[] file) {
    try {
      probe(file);
    } catch (UnreadableVideoException e) {
      return e;
    }
    throw new AssertionError("the probe accepted the file");
  }

  private static int pid(byte[] ts, int packet) {
    return ((ts[packet + 1] & 0x1F) << 8) | (ts[packet + 2] & 0xFF);
  }

  private static boolean unitStart(byte[] ts, int packet) {
    return (ts[packet + 1] & 0x40) != 0;
  }

  /** Where a packet's payload starts, past its adaptation field. */
  private static int payload(byte[] ts, int packet) {
    int control = (ts[packet + 3] >> 4) & 3;
    return packet + 4 + ((control & 2) != 0 ? 1 + (ts[packet + 4] & 0xFF) : 0);
  }

  /** ffmpeg's muxer puts the first video stream on PID 0x100. */
  private static final int VIDEO_PID = 0x100;

  @Test
  void readsTheLastTimestampsFromTheFileEndInOneRead() {
    CountingByteSource source = CountingByteSource.of(Clip.MPEG_TS_LONG.bytes());
    VideoMetadata metadata = new VideoProbe().probe(source, Container.MPEG_TS, source.head(HEAD));
    assertThat(metadata.durationSeconds()).isCloseTo(20.0, within(0.1));
    assertThat(source.ranges()).containsExactly(new CountingByteSource.Range(source.size() - 64 * 1024, 64 * 1024));
  }

  @Test
  void readsThePictureSizeCroppedByTheSequenceParameterSet() {
    VideoMetadata metadata = probe(Clip.MPEG_TS.bytes()); // coded as 10×6 macroblocks: 160×96
    assertThat(List.of(metadata.width(), metadata.height())).containsExactly(160, 90);
  }

  @Test
  void skipsTheScalingMatricesOfAHighProfileSequenceParameterSet() {
    VideoMetadata metadata = probe(Clip.MPEG_TS_SCALING_MATRIX.bytes());
    assertThat(List.of(metadata.width(), metadata.height(), (int) metadata.frameRate())).containsExactly(160, 90, 25);
  }

  @Test
  void undoesTheWrapOfTheThirtyThreeBitClock() {
    byte[] ts = Clip.MPEG_TS_LONG.bytes();
    long shift = (1L << 33) - 10 * 90_000 - 2 * 90_000; // ffmpeg starts near 1.4 s: the clock wraps 10 s in
    for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
      int at = payload(ts, p);
      if (!unitStart(ts, p) || at + 19 > p + PACKET || ts[at] != 0 || ts[at + 1] != 0 || ts[at + 2] != 1) {
        continue;
      }
      int flags = ts[at + 7] & 0xC0;
      if ((flags & 0x80) != 0) {
        shiftTimestamp(ts, at + 9, shift);
      }
      if ((flags & 0x40) != 0) {
        shiftTimestamp(ts, at + 14, shift);
      }
    }
    assertThat(probe(ts).durationSeconds()).isCloseTo(probe(Clip.MPEG_TS_LONG.bytes()).durationSeconds(), within(0.001));
  }

  private static void shiftTimestamp(byte[] b, int at, long shift) {
    long t = ((long) (b[at] & 0x0E) << 29) | ((long) (b[at + 1] & 0xFF) << 22) | ((long) (b[at + 2] & 0xFE) << 14)
        | ((long) (b[at + 3] & 0xFF) << 7) | ((b[at + 4] & 0xFF) >> 1);
    t = (t + shift) & ((1L << 33) - 1);
    b[at] = (byte) ((b[at] & 0xF0) | ((t >> 29) & 0x0E) | 1);
    b[at + 1] = (byte) (t >> 22);
    b[at + 2] = (byte) (((t >> 14) & 0xFE) | 1);
    b[at + 3] = (byte) (t >> 7);
    b[at + 4] = (byte) (((t << 1) & 0xFE) | 1);
  }

  @Test
  void refusesBytesWithoutSyncBytes() {
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    for (int i = 0; i < noise.length; i++) {
      if (noise[i] == 0x47) {
        noise[i] = 0x46;
      }
    }
    UnreadableVideoException e = refusal(noise);
    assertThat(e.code()).isEqualTo(Code.CORRUPT);
    assertThat(e.detail()).contains("sync byte");
  }

  @Test
  void refusesAStreamWithoutProgramTables() {
    byte[] ts = Clip.MPEG_TS.bytes();
    for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
      if (pid(ts, p) == 0) {
        ts[p + 1] = (byte) ((ts[p + 1] & 0xE0) | 0x1F); // PID 0x1FFF: null packets
        ts[p + 2] = (byte) 0xFF;
      }
    }
    assertThat(refusal(ts).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAProgramWithoutVideo() {
    byte[] ts = Clip.MPEG_TS.bytes();
    for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
      int at = payload(ts, p);
      if (pid(ts, p) == 0x1000 && unitStart(ts, p)) { // ffmpeg's PMT
        int section = at + 1 + (ts[at] & 0xFF);
        int programInfo = ((ts[section + 10] & 0x0F) << 8) | (ts[section + 11] & 0xFF);
        int stream = section + 12 + programInfo;
        if (ts[stream] == 0x1B) {
          ts[stream] = 0x06; // private data without descriptors: not video any more
        }
      }
    }
    assertThat(refusal(ts).code()).isEqualTo(Code.NO_VIDEO_STREAM);
  }

  @Test
  void refusesAProgramTableTooShortForItsFields() {
    byte[] ts = Clip.MPEG_TS.bytes();
    for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
      int at = payload(ts, p);
      if (pid(ts, p) == 0x1000 && unitStart(ts, p)) {
        int section = at + 1 + (ts[at] & 0xFF);
        ts[section + 1] = (byte) (ts[section + 1] & 0xF0);
        ts[section + 2] = 5; // section_length: not even room for the PCR PID
      }
    }
    assertThat(refusal(ts).code()).isEqualTo(Code.CORRUPT);
  }

  @Test
  void refusesAScrambledStream() {
    byte[] ts = Clip.MPEG_TS.bytes();
    for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
      if (pid(ts, p) == VIDEO_PID) {
        ts[p + 3] = (byte) ((ts[p + 3] & 0x3F) | 0x80);
      }
    }
    UnreadableVideoException e = refusal(ts);
    assertThat(e.code()).isEqualTo(Code.UNSUPPORTED);
    assertThat(e.detail()).contains("scrambled");
  }
}
