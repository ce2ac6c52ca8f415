package videopipe.functions.transcode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The configurable ABR ladder: the rungs a source may be transcoded to, tallest first. Configured
 * as {@code TRANSCODE_LADDER}, e.g. {@code 1080:6000000:60,720:3500000:60,480:1500000:30,360:800000:30}
 * (short side in pixels, H.264 QVBR max bitrate in bit/s, highest frame rate), read once at start
 * so that a typo fails the start, not the first upload.
 *
 * @param rungs the rungs, tallest first, no two of the same size
 * @param audioBitrate the AAC bitrate of every rendition that carries audio, in bit/s
 */
public record Ladder(List<Rung> rungs, int audioBitrate) {

  /** 1080p to 360p, the frame rate halved below 720p for sources above 30 fps. */
  public static final Ladder DEFAULT = parse("1080:6000000:60,720:3500000:60,480:1500000:30,360:800000:30");

  /** H.264 QVBR needs a max bitrate; MediaConvert accepts 1000..1152000000. */
  static final long MIN_BITRATE = 1_000;

  /**
   * One rung.
   *
   * @param size the short side of the picture (its height in landscape), e.g. 720
   * @param maxBitrate the QVBR ceiling, in bit/s
   * @param maxFrameRate the highest frame rate at this size; a faster source is divided down
   */
  public record Rung(int size, long maxBitrate, int maxFrameRate) {
    public Rung {
      if (size < 2 || size > 4320) {
        throw new IllegalArgumentException("a rung's size must be 2..4320 pixels, was " + size);
      }
      if (maxBitrate < MIN_BITRATE || maxBitrate > 1_152_000_000L) {
        throw new IllegalArgumentException("a rung's bitrate must be 1000..1152000000 bit/s, was " + maxBitrate);
      }
      if (maxFrameRate < 1 || maxFrameRate > 120) {
        throw new IllegalArgumentException("a rung's frame rate must be 1..120, was " + maxFrameRate);
      }
    }

    public String name() {
      return size + "p";
    }
  }

  public Ladder {
    if (rungs.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one rung");
    }
    List<Rung> sorted = new ArrayList<>(rungs);
    sorted.sort(Comparator.comparingInt(Rung::size).reversed());
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).size() == sorted.get(i - 1).size()) {
        throw new IllegalArgumentException("the ladder has two " + sorted.get(i).name() + " rungs");
      }
    }
    rungs = List.copyOf(sorted);
    if (audioBitrate < 16_000 || audioBitrate > 320_000) {
      throw new IllegalArgumentException("the AAC bitrate must be 16000..320000 bit/s, was " + audioBitrate);
    }
  }

  public Rung smallest() {
    return rungs.get(rungs.size() - 1);
  }

  /** {@code size:bitrate[:fps],…}; the frame rate defaults to 60. AAC at 128 kbit/s. */
  public static Ladder parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("the ladder is empty");
    }
    List<Rung> rungs = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] f = p.split(":");
      if (f.length < 2 || f.length > 3) {
        throw new IllegalArgumentException("ladder rung '" + p + "' is not size:bitrate[:fps]");
      }
      try {
        rungs.add(new Rung(Integer.parseInt(f[0].trim().replaceFirst("p$", "")), Long.parseLong(f[1].trim()),
            f.length == 3 ? Integer.parseInt(f[2].trim()) : 60));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ladder rung '" + p + "' is not size:bitrate[:fps]");
      }
    }
    return new Ladder(rungs, 128_000);
  }

  /** A short, stable text of the ladder: part of the MediaConvert client request token. */
  public String fingerprint() {
    StringBuilder b = new StringBuilder();
    for (Rung r : rungs) {
      b.append(r.size()).append(':').append(r.maxBitrate()).append(':').append(r.maxFrameRate()).append(',');
    }
    return b.append("aac:").append(audioBitrate).toString();
  }
}
