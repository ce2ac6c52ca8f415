package videopipe.functions.captions;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a creator's caption file (WebVTT or SRT) and writes it back as clean WebVTT, or says why it
 * cannot. A pure function over bytes; the caller bounds the size.
 *
 * <ul>
 *   <li>UTF-8 only (an optional BOM is dropped); UTF-16, invalid UTF-8 and control characters
 *       (binary junk) are refused. CRLF and CR line ends are accepted.
 *   <li>Timestamps must be well-formed (minutes and seconds below 60), end after start, and cues
 *       in order of start time. Overlapping cues are allowed: WebVTT shows them together.
 *   <li>Cue text keeps only WebVTT's own tags ({@code b i u c v lang ruby rt}, and timestamps),
 *       re-written in canonical form; every other tag is removed, {@code <script>} and
 *       {@code <style>} with their content; {@code & < >} in text are escaped. SRT's ASS overrides
 *       ({@code {\an8}}) are dropped. Cue settings are kept only when valid; STYLE and REGION
 *       blocks are dropped (no creator CSS reaches a player).
 * </ul>
 */
public final class CaptionParser {

  /** One cue, text already sanitised WebVTT. */
  public record Cue(long startMs, long endMs, String settings, String text) {}

  /** The file as WebVTT, or why it was refused. */
  public sealed interface Result {
    record Parsed(List<Cue> cues, String webVtt) implements Result {}

    record Invalid(String reason) implements Result {}
  }

  private static final Pattern TIMING = Pattern.compile(
      "^\\s*((?:\\d+:)?\\d{1,2}:\\d{1,2}[.,]\\d{1,3})\\s+-->\\s+((?:\\d+:)?\\d{1,2}:\\d{1,2}[.,]\\d{1,3})(.*)$");
  private static final Pattern SETTING = Pattern.compile(
      "vertical:(rl|lr)|line:-?\\d+(\\.\\d+)?%?(,(start|center|end))?|position:\\d+(\\.\\d+)?%(,(line-left|center|line-right))?"
          + "|size:\\d+(\\.\\d+)?%|align:(start|center|end|left|right)");
  // As WebVTT: the tag name follows "<" or "</" at once ("a < b" is text, not a tag).
  private static final Pattern TAG = Pattern.compile("<(/?)([^\\s<>/][^<>]*)>");
  private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt|lrm|rlm|nbsp|#\\d{1,7}|#x[0-9a-fA-F]{1,6});");
  private static final Set<String> ALLOWED = Set.of("b", "i", "u", "c", "v", "lang", "ruby", "rt");
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
  private static final Pattern TIMESTAMP_TAG = Pattern.compile("(\\d+:)?\\d{2}:\\d{2}\\.\\d{3}");

  private CaptionParser() {}

  public static Result parse(byte[] bytes, CaptionFormat format) {
    String text;
    try {
      text = decode(bytes);
    } catch (CharacterCodingException e) {
      return new Result.Invalid("not UTF-8 text (save the file as UTF-8)");
    }
    if (text == null) {
      return new Result.Invalid("UTF-16 text: save the file as UTF-8");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
        return new Result.Invalid("control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
            + ": not a text caption file");
      }
    }
    String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int i = 0;
    if (format == CaptionFormat.VTT) {
      if (lines.length == 0 || !lines[0].matches("WEBVTT([ \\t].*)?")) {
        return new Result.Invalid("a WebVTT file must start with 'WEBVTT'");
      }
      i = 1;
      while (i < lines.length && !lines[i].isBlank()) {
        i++; // header lines
      }
    }
    List<Cue> cues = new ArrayList<>();
    while (i < lines.length) {
      while (i < lines.length && lines[i].isBlank()) {
        i++;
      }
      if (i >= lines.length) {
        break;
      }
      int blockStart = i;
      List<String> block = new ArrayList<>();
      while (i < lines.length && !lines[i].isBlank()) {
        block.add(lines[i++]);
      }
      String first = block.get(0).trim();
      if (format == CaptionFormat.VTT && (first.startsWith("NOTE") || first.equals("STYLE") || first.equals("REGION"))) {
        continue;
      }
      int t = TIMING.matcher(block.get(0)).matches() ? 0 : block.size() > 1 && TIMING.matcher(block.get(1)).matches() ? 1 : -1;
      if (t < 0) {
        return new Result.Invalid("line " + (blockStart + 1) + ": no cue timing ('00:00:01.000 --> 00:00:02.000')");
      }
      Matcher m = TIMING.matcher(block.get(t));
      m.matches();
      long start = millis(m.group(1));
      long end = millis(m.group(2));
      int line = blockStart + t + 1;
      if (start < 0 || end < 0) {
        return new Result.Invalid("line " + line + ": malformed timestamp (minutes and seconds must be below 60)");
      }
      if (end <= start) {
        return new Result.Invalid("line " + line + ": the cue ends (" + m.group(2).trim() + ") before it starts ("
            + m.group(1).trim() + ")");
      }
      if (!cues.isEmpty() && start < cues.get(cues.size() - 1).startMs()) {
        return new Result.Invalid("line " + line + ": cues out of order (this one starts before the one above)");
      }
      String settings = format == CaptionFormat.VTT ? settings(m.group(3)) : "";
      List<String> textLines = new ArrayList<>();
      for (String l : block.subList(t + 1, block.size())) {
        String clean = sanitise(format == CaptionFormat.SRT ? l.replaceAll("\\{\\\\[^}]*}", "") : l).strip();
        if (!clean.isEmpty()) {
          textLines.add(clean);
        }
      }
      if (!textLines.isEmpty()) {
        cues.add(new Cue(start, end, settings, String.join("\n", textLines)));
      }
    }
    if (cues.isEmpty()) {
      return new Result.Invalid("no cues");
    }
    return new Result.Parsed(List.copyOf(cues), write(cues));
  }

  /** UTF-8 without its BOM; null for a UTF-16 BOM; throws on invalid UTF-8. */
  private static String decode(byte[] b) throws CharacterCodingException {
    if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
      return null;
    }
    int offset = b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF ? 3 : 0;
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b, offset, b.length - offset))
        .toString();
  }

  /** Milliseconds, or -1 when a field is out of range. */
  static long millis(String ts) {
    String[] parts = ts.trim().replace(',', '.').split("[:.]");
    long h = parts.length == 4 ? Long.parseLong(parts[0]) : 0;
    int o = parts.length == 4 ? 1 : 0;
    long min = Long.parseLong(parts[o]);
    long s = Long.parseLong(parts[o + 1]);
    String frac = parts[o + 2];
    long ms = Long.parseLong((frac + "00").substring(0, 3));
    if (min >= 60 || s >= 60 || h > 99_999) {
      return -1;
    }
    return ((h * 60 + min) * 60 + s) * 1000 + ms;
  }

  private static String settings(String raw) {
    List<String> kept = new ArrayList<>();
    for (String s : raw.trim().split("\\s+")) {
      if (SETTING.matcher(s).matches()) {
        kept.add(s);
      }
    }
    return String.join(" ", kept);
  }

  /** WebVTT's own tags in canonical form, nothing else; text escaped. */
  static String sanitise(String line) {
    String withoutScripts = line.replaceAll("(?is)<(script|style)\\b[^>]*>.*?(</\\1\\s*>|$)", "");
    StringBuilder out = new StringBuilder();
    Matcher m = TAG.matcher(withoutScripts);
    int last = 0;
    while (m.find()) {
      out.append(escape(withoutScripts.substring(last, m.start())));
      out.append(tag(m.group(1).equals("/"), m.group(2).trim()));
      last = m.end();
    }
    out.append(escape(withoutScripts.substring(last)));
    return out.toString().replace("-->", "--&gt;");
  }

  private static String tag(boolean closing, String body) {
    if (!closing && TIMESTAMP_TAG.matcher(body).matches()) {
      return "<" + body + ">";
    }
    String name = body.split("[\\s.]", 2)[0].toLowerCase(Locale.ROOT);
    if (!ALLOWED.contains(name)) {
      return "";
    }
    if (closing) {
      return "</" + name + ">";
    }
    StringBuilder t = new StringBuilder("<").append(name);
    String rest = body.substring(body.split("[\\s.]", 2)[0].length());
    Matcher classes = Pattern.compile("^((?:\\.[A-Za-z0-9_-]+)*)").matcher(rest);
    if (classes.find()) {
      t.append(classes.group(1));
      rest = rest.substring(classes.group(1).length());
    }
    String annotation = rest.strip();
    if (name.equals("lang") && !LANGUAGE.matcher(annotation).matches()) {
      // A lang tag's annotation is a BCP-47 tag and nothing else: anything more is someone's
      // attribute injection. The tag goes (its stray end tag is ignored by WebVTT), the text stays.
      return "";
    }
    if ((name.equals("v") || name.equals("lang")) && !annotation.isEmpty()) {
      t.append(' ').append(escape(annotation).replace("\"", ""));
    }
    return t.append('>').toString();
  }

  private static String escape(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '&') {
        Matcher e = ENTITY.matcher(text).region(i, text.length());
        if (e.lookingAt()) {
          b.append(e.group());
          i = e.end() - 1;
        } else {
          b.append("&amp;");
        }
      } else if (c == '<') {
        b.append("&lt;");
      } else if (c == '>') {
        b.append("&gt;");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String write(List<Cue> cues) {
    StringBuilder b = new StringBuilder("WEBVTT\n");
    for (Cue c : cues) {
      b.append('\n').append(timestamp(c.startMs())).append(" --> ").append(timestamp(c.endMs()));
      if (!c.settings().isEmpty()) {
        b.append(' ').append(c.settings());
      }
      b.append('\n').append(c.text()).append('\n');
    }
    return b.toString();
  }

  static String timestamp(long ms) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }
}
