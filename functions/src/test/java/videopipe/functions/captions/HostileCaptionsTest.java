package videopipe.functions.captions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import videopipe.functions.captions.CaptionParser.Result;

/**
 * Caption files crafted or mangled to get past the parser: byte-order marks and line ends of every
 * kind, cues overlapping, equal, reversed or out of order, files at and far over the size a creator
 * may upload, binary files renamed to .vtt, and markup aimed at the players that render cue text.
 * Each is either parsed into clean WebVTT or refused with a reason; nothing else gets through.
 * (The size limit itself is attachCaptions', see {@link AttachCaptionsTest}.)
 */
class HostileCaptionsTest {

  /** Every tag left in the output is one of WebVTT's own, in canonical form. */
  private static final Pattern ANY_TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ALLOWED_TAG = Pattern.compile(
      "</?(b|i|u|ruby|rt)>|<c(\\.[A-Za-z0-9_-]+)*>|</c>|<v(\\.[A-Za-z0-9_-]+)*( [^<>\"&]*)?>|</v>"
          + "|<lang(\\.[A-Za-z0-9_-]+)* [A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*>|</lang>|<(\\d+:)?\\d{2}:\\d{2}\\.\\d{3}>");

  private static Result parse(byte[] bytes, CaptionFormat format) {
    return CaptionParser.parse(bytes, format);
  }

  private static Result vtt(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8), CaptionFormat.VTT);
  }

  private static Result srt(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8), CaptionFormat.SRT);
  }

  private static String webVtt(Result r) {
    assertThat(r).isInstanceOf(Result.Parsed.class);
    String out = ((Result.Parsed) r).webVtt();
    Matcher m = ANY_TAG.matcher(out);
    while (m.find()) {
      assertThat(m.group()).as("a tag in the output").matches(ALLOWED_TAG);
    }
    return out;
  }

  private static String reason(Result r) {
    assertThat(r).isInstanceOf(Result.Invalid.class);
    return ((Result.Invalid) r).reason();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  // ---- byte-order marks and line ends ----

  @Test
  void dropsTheBomOfAnSrtFileWithCrlfLineEnds() {
    byte[] file = concat(UTF8_BOM, "1\r\n00:00:01,000 --> 00:00:02,000\r\nBOM and CRLF\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(webVtt(parse(file, CaptionFormat.SRT))).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBOM and CRLF\n");
  }

  @Test
  void refusesUtf16BigEndianAndUtf32() {
    byte[] utf16be = "\uFEFFWEBVTT\n".getBytes(StandardCharsets.UTF_16BE);
    assertThat(reason(parse(utf16be, CaptionFormat.VTT))).contains("UTF-16");
    byte[] utf32le = {(byte) 0xFF, (byte) 0xFE, 0, 0, 'W', 0, 0, 0};
    assertThat(reason(parse(utf32le, CaptionFormat.VTT))).contains("UTF-8");
  }

  @Test
  void refusesUtf16WithoutABomAsBinary() {
    byte[] utf16 = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n".getBytes(StandardCharsets.UTF_16LE);
    assertThat(reason(parse(utf16, CaptionFormat.VTT))).contains("control character U+0000");
  }

  @Test
  void acceptsMixedLineEndsInOneFile() {
    assertThat(webVtt(vtt("WEBVTT\r\nKind: captions\n\r\n00:00:01.000 --> 00:00:02.000\rone\r\n\n"
        + "00:00:03.000 --> 00:00:04.000\ntwo\r")))
        .isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n\n00:00:03.000 --> 00:00:04.000\ntwo\n");
  }

  // ---- cue timing ----

  @Test
  void allowsOverlappingAndSimultaneousCuesInSrtToo() {
    Result r = srt("1\n00:00:01,000 --> 00:00:05,000\nA\n\n2\n00:00:01,000 --> 00:00:02,000\nB\n\n"
        + "3\n00:00:04,000 --> 00:00:06,000\nC\n");
    assertThat(((Result.Parsed) r).cues()).extracting(CaptionParser.Cue::text).containsExactly("A", "B", "C");
  }

  @Test
  void refusesAReversedSrtCueNamingItsLine() {
    assertThat(reason(srt("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:09,000 --> 00:00:03,000\nreversed\n")))
        .isEqualTo("line 6: the cue ends (00:00:03,000) before it starts (00:00:09,000)");
  }

  @Test
  void refusesACueThatGoesBackInTimeAfterAnOverlap() {
    assertThat(reason(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:10.000\nlong\n\n00:00:05.000 --> 00:00:06.000\nin\n\n"
        + "00:00:04.000 --> 00:00:07.000\nback\n"))).contains("line 9").contains("out of order");
  }

  @Test
  void refusesTimestampsOutOfRangeOrAbsurd() {
    assertThat(reason(vtt("WEBVTT\n\n00:60:00.000 --> 01:00:01.000\nx\n"))).contains("malformed timestamp");
    assertThat(reason(vtt("WEBVTT\n\n999999999:00:00.000 --> 999999999:00:01.000\nx\n"))).contains("malformed timestamp");
    assertThat(reason(vtt("WEBVTT\n\n-00:00:01.000 --> 00:00:02.000\nx\n"))).contains("no cue timing");
  }

  // ---- size ----

  @Test
  void parsesAMegabyteOfCuesCompletely() {
    StringBuilder b = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; i < 25_000; i++) {
      b.append(CaptionParser.timestamp(i * 100L)).append(" --> ").append(CaptionParser.timestamp(i * 100L + 90))
          .append("\ncue ").append(i).append("\n\n");
    }
    assertThat(b.length()).as("about the 1 MiB a sidecar may have").isGreaterThan(1_000_000);
    Result.Parsed p = (Result.Parsed) vtt(b.toString());
    assertThat(p.cues()).hasSize(25_000);
    assertThat(p.cues().get(24_999).text()).isEqualTo("cue 24999");
  }

  @Test
  void survivesAMegabyteLongLineOfHalfOpenTagsAndAmpersands() {
    String junk = "<a&<b&amp<c".repeat(100_000);
    String out = webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + junk + "\n"));
    assertThat(out).doesNotContain("<a", "<c&").contains("&lt;a&amp;&lt;b&amp;amp&lt;c");
  }

  @Test
  void survivesAnUnclosedScriptOverAHugeLine() {
    String out = webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nbefore <script>" + "x".repeat(1_000_000) + "\n"));
    assertThat(out).endsWith("\nbefore\n");
  }

  @Test
  void refusesAHugeFileThatIsOneEndlessHeader() {
    assertThat(reason(vtt("WEBVTT\n" + "X-Header: y\n".repeat(100_000)))).isEqualTo("no cues");
  }

  // ---- binary junk ----

  @Test
  void refusesABinaryFileRenamedToVtt() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    assertThat(reason(parse(png, CaptionFormat.VTT))).contains("not UTF-8");
    byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    assertThat(reason(parse(mp4, CaptionFormat.SRT))).contains("control character U+0000");
  }

  @Test
  void refusesInvalidAndOverlongUtf8() {
    byte[] head = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n".getBytes(StandardCharsets.UTF_8);
    assertThat(reason(parse(concat(head, new byte[] {(byte) 0xC3, 0x28, '\n'}), CaptionFormat.VTT))).contains("not UTF-8");
    assertThat(reason(parse(concat(head, new byte[] {(byte) 0xC0, (byte) 0xBC, 's', '\n'}), CaptionFormat.VTT)))
        .as("an overlong '<'").contains("not UTF-8");
    assertThat(reason(parse(concat(head, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}), CaptionFormat.VTT)))
        .as("a UTF-16 surrogate encoded as UTF-8").contains("not UTF-8");
  }

  @Test
  void refusesAValidFileWithOneNulOrEscapeHiddenInACue() {
    assertThat(reason(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\u0000\n"))).contains("U+0000");
    assertThat(reason(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\u001B[31mred\n"))).contains("U+001B");
    assertThat(reason(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ndel\u007F\n"))).contains("U+007F");
  }

  // ---- markup ----

  @Test
  void neverPassesAScriptSplitOverLinesOrNestedInItsOwnName() {
    String out = webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<script>\nalert(1)</script>\n"
        + "<scr<script>ipt>alert(2)</script>\n<SCRIPT/src=//evil.example>\n"));
    assertThat(out.toLowerCase()).doesNotContain("<script", "</script", "<scr", "evil.example");
  }

  @Test
  void keepsEncodedMarkupEncoded() {
    assertThat(webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;\n")))
        .endsWith("\n&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;\n");
  }

  @Test
  void dropsHtmlAndSvgAndEventHandlersFromCueText() {
    String out = webVtt(srt("1\n00:00:01,000 --> 00:00:02,000\n<svg onload=alert(1)><a href=\"javascript:x\">click</a>"
        + "<iframe src=//x></iframe><b onmouseover=\"x\">b</b><style>*{}</style>\n"));
    assertThat(out).endsWith("\nclick<b>b</b>\n");
  }

  @Test
  void keepsALanguageTagOnlyWithALanguageInIt() {
    assertThat(webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<lang en\" onmouseover=\"x>hi</lang> <lang fr>oui</lang>\n")))
        .endsWith("\nhi</lang> <lang fr>oui</lang>\n");
  }

  @Test
  void refusesACueTimingSmuggledIntoCueText() {
    String out = webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nline --> 00:00:09.000\n"));
    assertThat(out).endsWith("\nline --&gt; 00:00:09.000\n");
    assertThat(((Result.Parsed) vtt(out)).cues()).hasSize(1);
  }
}
