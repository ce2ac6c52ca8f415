package videopipe.localstack.mediaconvert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The multivariant (master) playlist of an HLS group, as MediaConvert writes it beside the
 * variants: one {@code EXT-X-STREAM-INF} per output, in the order of the outputs, with the
 * bandwidths measured from the segments written (peak and average), the codecs in RFC 6381 form,
 * the resolution and the frame rate.
 */
final class HlsPlaylists {

  record Variant(Path playlist, Probe probe, boolean hasAudio) {}

  private HlsPlaylists() {}

  static String master(List<Variant> variants) throws IOException {
    StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Variant v : variants) {
      long[] bandwidth = bandwidth(v.playlist());
      b.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth[0])
          .append(",AVERAGE-BANDWIDTH=").append(bandwidth[1])
          .append(",CODECS=\"").append(avc1(v.probe())).append(v.hasAudio() ? ",mp4a.40.2" : "").append('"')
          .append(",RESOLUTION=").append(v.probe().width()).append('x').append(v.probe().height());
      if (v.probe().frameRate() > 0) {
        b.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.probe().frameRate()));
      }
      b.append('\n').append(v.playlist().getFileName()).append('\n');
    }
    return b.toString();
  }

  /** {peak, average} bits per second over the variant's segments. */
  private static long[] bandwidth(Path playlist) throws IOException {
    double total = 0;
    double seconds = 0;
    double peak = 0;
    double pending = -1;
    for (String line : Files.readAllLines(playlist)) {
      if (line.startsWith("#EXTINF:")) {
        String d = line.substring("#EXTINF:".length());
        int comma = d.indexOf(',');
        pending = Double.parseDouble(comma < 0 ? d : d.substring(0, comma));
      } else if (!line.isBlank() && !line.startsWith("#") && pending > 0) {
        long bytes = Files.size(playlist.resolveSibling(line.trim()));
        total += bytes * 8.0;
        seconds += pending;
        peak = Math.max(peak, bytes * 8.0 / pending);
        pending = -1;
      }
    }
    long average = seconds == 0 ? 0 : Math.round(total / seconds);
    return new long[] {Math.round(peak), average};
  }

  /** RFC 6381 {@code avc1.PPCCLL}: profile_idc, constraint flags, level_idc. */
  static String avc1(Probe p) {
    String profile = p.profile() == null ? "" : p.profile();
    String pc = profile.startsWith("High") ? "6400" : profile.contains("Baseline") ? "42e0" : "4d40";
    return String.format(Locale.ROOT, "avc1.%s%02x", pc, p.level() <= 0 ? 0x1f : p.level());
  }
}
