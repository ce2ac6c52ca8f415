package videopipe.functions.metadata;

import static videopipe.functions.metadata.Mp4Boxes.box;
import static videopipe.functions.metadata.Mp4Boxes.concat;
import static videopipe.functions.metadata.Mp4Boxes.fullBox;
import static videopipe.functions.metadata.Mp4Boxes.ints;
import static videopipe.functions.metadata.Mp4Boxes.matrix;
import static videopipe.functions.metadata.Mp4Boxes.zeros;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An 81-minute MP4 made in code: the sample tables of a real one (about 4 MB of stts, ctts, stss,
 * stsz and stco for 145,654 frames at 29.97 fps with variable frame durations, and 227,812 AAC
 * frames) around one byte of media per sample. Encoding 81 minutes would take minutes; the
 * tables are what the probe must not read, and they are real.
 */
public final class LongMovie {
  private LongMovie() {}

  public static final int MINUTES = 81;
  static final int VIDEO_SAMPLES = (int) (MINUTES * 60L * 30000 / 1001);
  static final int AUDIO_SAMPLES = (int) (MINUTES * 60L * 48000 / 1024);
  static final int WIDTH = 160;
  static final int HEIGHT = 90;

  public static byte[] fastStart() {
    return build(true);
  }

  public static byte[] moovAtEnd() {
    return build(false);
  }

  private static byte[] build(boolean fastStart) {
    byte[] ftyp = box("ftyp", "isom".getBytes(StandardCharsets.ISO_8859_1), ints(512),
        "isomiso2avc1mp41".getBytes(StandardCharsets.ISO_8859_1));
    int mdatPayload = VIDEO_SAMPLES + AUDIO_SAMPLES;
    int moovSize = moov(0).length;
    long mdatStart = fastStart ? ftyp.length + moovSize : ftyp.length;
    byte[] moov = moov(mdatStart + 8);
    byte[] mdat = box("mdat", zeros(mdatPayload));
    return fastStart ? concat(ftyp, moov, mdat) : concat(ftyp, mdat, moov);
  }

  /** The moov, with chunk offsets for media starting at {@code media}: one sample per chunk. */
  private static byte[] moov(long media) {
    long videoDuration = 0;
    ByteBuffer stts = ByteBuffer.allocate(8 + VIDEO_SAMPLES * 8).putInt(0).putInt(VIDEO_SAMPLES);
    ByteBuffer ctts = ByteBuffer.allocate(8 + VIDEO_SAMPLES * 8).putInt(0).putInt(VIDEO_SAMPLES);
    ByteBuffer stsz = ByteBuffer.allocate(12 + VIDEO_SAMPLES * 4).putInt(0).putInt(0).putInt(VIDEO_SAMPLES);
    ByteBuffer stco = ByteBuffer.allocate(8 + VIDEO_SAMPLES * 4).putInt(0).putInt(VIDEO_SAMPLES);
    int keyframes = (VIDEO_SAMPLES + 299) / 300;
    ByteBuffer stss = ByteBuffer.allocate(8 + keyframes * 4).putInt(0).putInt(keyframes);
    for (int i = 0; i < VIDEO_SAMPLES; i++) {
      int delta = i % 2 == 0 ? 1000 : 1002; // variable frame durations: one stts entry per frame
      videoDuration += delta;
      stts.putInt(1).putInt(delta);
      ctts.putInt(1).putInt(2002);
      stsz.putInt(1);
      stco.putInt((int) (media + i));
      if (i % 300 == 0) {
        stss.putInt(i + 1);
      }
    }
    ByteBuffer astsz = ByteBuffer.allocate(12 + AUDIO_SAMPLES * 4).putInt(0).putInt(0).putInt(AUDIO_SAMPLES);
    ByteBuffer astco = ByteBuffer.allocate(8 + AUDIO_SAMPLES * 4).putInt(0).putInt(AUDIO_SAMPLES);
    for (int i = 0; i < AUDIO_SAMPLES; i++) {
      astsz.putInt(1);
      astco.putInt((int) (media + VIDEO_SAMPLES + i));
    }
    long movieDuration = MINUTES * 60L * 1000;
    byte[] dinf = box("dinf", fullBox("dref", 0, 0, ints(1), fullBox("url ", 0, 1)));
    byte[] stsc = fullBox("stsc", 0, 0, ints(1, 1, 1, 1));

    byte[] avc1 = box("avc1", zeros(6), new byte[] {0, 1}, zeros(16),
        new byte[] {0, (byte) WIDTH, 0, (byte) HEIGHT}, ints(0x00480000, 0x00480000, 0), new byte[] {0, 1},
        zeros(32), new byte[] {0, 0x18, (byte) 0xFF, (byte) 0xFF});
    byte[] video = box("trak",
        fullBox("tkhd", 0, 3, ints(0, 0, 1, 0, movieDuration, 0, 0, 0, 0), matrix(1, 0, 0, 1),
            ints((long) WIDTH << 16, (long) HEIGHT << 16)),
        box("mdia",
            fullBox("mdhd", 0, 0, ints(0, 0, 30000, videoDuration), new byte[] {0x55, (byte) 0xC4, 0, 0}),
            fullBox("hdlr", 0, 0, ints(0), "vide".getBytes(StandardCharsets.ISO_8859_1), zeros(12),
                "VideoHandler\0".getBytes(StandardCharsets.ISO_8859_1)),
            box("minf", fullBox("vmhd", 0, 1, zeros(8)), dinf,
                box("stbl", fullBox("stsd", 0, 0, ints(1), avc1), box("stts", stts.array()),
                    box("stss", stss.array()), box("ctts", ctts.array()), stsc, box("stsz", stsz.array()),
                    box("stco", stco.array())))));

    byte[] esds = fullBox("esds", 0, 0, new byte[] {3, 25, 0, 2, 0, 4, 17, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 5, 2, 0x11, (byte) 0x90, 6, 1, 2});
    byte[] mp4a = box("mp4a", zeros(6), new byte[] {0, 1}, zeros(8), new byte[] {0, 2, 0, 16, 0, 0, 0, 0},
        ints(48000L << 16), esds);
    byte[] audio = box("trak",
        fullBox("tkhd", 0, 3, ints(0, 0, 2, 0, movieDuration, 0, 0, 1, 0x01000000), matrix(1, 0, 0, 1),
            ints(0, 0)),
        box("mdia",
            fullBox("mdhd", 0, 0, ints(0, 0, 48000, AUDIO_SAMPLES * 1024L), new byte[] {0x55, (byte) 0xC4, 0, 0}),
            fullBox("hdlr", 0, 0, ints(0), "soun".getBytes(StandardCharsets.ISO_8859_1), zeros(12),
                "SoundHandler\0".getBytes(StandardCharsets.ISO_8859_1)),
            box("minf", fullBox("smhd", 0, 0, zeros(4)), dinf,
                box("stbl", fullBox("stsd", 0, 0, ints(1), mp4a),
                    fullBox("stts", 0, 0, ints(1, AUDIO_SAMPLES, 1024)), stsc, box("stsz", astsz.array()),
                    box("stco", astco.array())))));

    byte[] mvhd = fullBox("mvhd", 0, 0, ints(0, 0, 1000, movieDuration, 0x00010000), new byte[] {1, 0},
        zeros(10), matrix(1, 0, 0, 1), zeros(24), ints(3));
    return box("moov", mvhd, video, audio);
  }
}
