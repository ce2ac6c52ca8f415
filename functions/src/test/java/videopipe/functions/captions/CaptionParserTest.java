package videopipe.functions.captions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import videopipe.functions.captions.CaptionParser.Result;

/**
 * Caption files are creator input that ends up inside every viewer's player: a malformed one must
 * be refused with a reason the creator can act on, and nothing but WebVTT's own markup may pass.
 */
class CaptionParserTest {

  private static Result vtt(String text) {
    return CaptionParser.parse(text.getBytes(StandardCharsets.UTF_8), CaptionFormat.VTT);
  }

  private static Result srt(String text) {
    return CaptionParser.parse(text.getBytes(StandardCharsets.UTF_8), CaptionFormat.SRT);
  }

  private static String webVtt(Result r) {
    assertThat(r).isInstanceOf(Result.Parsed.class);
    return ((Result.Parsed) r).webVtt();
  }

  private static String reason(Result r) {
    assertThat(r).isInstanceOf(Result.Invalid.class);
    return ((Result.Invalid) r).reason();
  }

  @Test
  void convertsSrtToWebVtt() {
    assertThat(webVtt(srt("1\n00:00:01,000 --> 00:00:02,500\nHello\nworld\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n")))
        .isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\nworld\n\n00:00:03.000 --> 00:00:04.000\nBye\n");
  }

  @Test
  void keepsAValidWebVttAsItIs() {
    String in = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start position:10%\n<v Bob>Hi</v> <i>there</i>\n";
    assertThat(webVtt(vtt(in))).isEqualTo(in);
  }

  @Test
  void acceptsShortWebVttTimestampsAndIdentifiers() {
    assertThat(webVtt(vtt("WEBVTT - a title\nKind: captions\n\ncue-1\n01:02.500 --> 01:03.000\nx\n")))
        .isEqualTo("WEBVTT\n\n00:01:02.500 --> 00:01:03.000\nx\n");
  }

  @Test
  void dropsAUtf8ByteOrderMark() {
    byte[] body = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBOM\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    assertThat(webVtt(CaptionParser.parse(withBom, CaptionFormat.VTT))).startsWith("WEBVTT\n\n00:00:01.000");
  }

  @Test
  void refusesUtf16WithAReasonToActOn() {
    byte[] utf16 = "\uFEFFWEBVTT\n".getBytes(StandardCharsets.UTF_16LE);
    assertThat(reason(CaptionParser.parse(utf16, CaptionFormat.VTT))).contains("UTF-16").contains("UTF-8");
  }

  @Test
  void acceptsCrlfAndCrLineEnds() {
    assertThat(webVtt(srt("1\r\n00:00:01,000 --> 00:00:02,000\r\nWindows\r\n\r\n")))
        .isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWindows\n");
    assertThat(webVtt(vtt("WEBVTT\r\r00:00:01.000 --> 00:00:02.000\rOld Mac\r"))).contains("Old Mac");
  }

  @Test
  void allowsOverlappingCuesAsWebVttDoes() {
    assertThat(((Result.Parsed) vtt("WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nA\n\n00:00:02.000 --> 00:00:03.000\nB\n"))
        .cues()).hasSize(2);
  }

  @Test
  void refusesACueThatEndsBeforeItStarts() {
    assertThat(reason(vtt("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nreversed\n")))
        .contains("line 3").contains("ends (00:00:02.000) before it starts (00:00:05.000)");
  }

  @Test
  void refusesAnEmptyCue() {
    assertThat(reason(vtt("WEBVTT\n\n00:00:05.000 --> 00:00:05.000\nzero\n"))).contains("before it starts");
  }

  @Test
  void refusesCuesOutOfOrder() {
    assertThat(reason(srt("1\n00:00:05,000 --> 00:00:06,000\nB\n\n2\n00:00:01,000 --> 00:00:02,000\nA\n")))
        .contains("out of order");
  }

  @Test
  void refusesMalformedTimestamps() {
    assertThat(reason(vtt("WEBVTT\n\n00:00:75.000 --> 00:01:20.000\nx\n"))).contains("malformed timestamp");
    assertThat(reason(vtt("WEBVTT\n\n0:0:1 --> 0:0:2\nx\n"))).contains("no cue timing");
  }

  @Test
  void refusesAWebVttWithoutItsHeader() {
    assertThat(reason(vtt("00:00:01.000 --> 00:00:02.000\nx\n"))).contains("must start with 'WEBVTT'");
  }

  @Test
  void refusesBinaryJunk() {
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    assertThat(reason(CaptionParser.parse(junk, CaptionFormat.SRT))).containsAnyOf("not UTF-8", "control character");
    assertThat(reason(CaptionParser.parse("WEBVTT\n\n\0\0\0".getBytes(StandardCharsets.UTF_8), CaptionFormat.VTT)))
        .contains("control character U+0000");
  }

  @Test
  void refusesAFileWithoutCues() {
    assertThat(reason(vtt("WEBVTT\n\nNOTE nothing here\n"))).isEqualTo("no cues");
    assertThat(reason(srt(""))).isEqualTo("no cues");
  }

  @Test
  void neverPassesAScript() {
    String out = webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi <script>alert(1)</script> there\n"
        + "<SCRIPT src=//evil></SCRIPT><img src=x onerror=alert(1)>\n"));
    assertThat(out.toLowerCase()).doesNotContain("<script", "alert", "<img", "onerror");
    assertThat(out).contains("hi  there");
  }

  @Test
  void removesForeignTagsButKeepsTheirText() {
    assertThat(webVtt(srt("1\n00:00:01,000 --> 00:00:02,000\n<font color=\"red\">Red</font> {\\an8}<b>bold</b>\n")))
        .endsWith("\nRed <b>bold</b>\n");
  }

  @Test
  void escapesTextThatLooksLikeMarkup() {
    assertThat(webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na < b && c > d &amp; e --> f\n")))
        .endsWith("\na &lt; b &amp;&amp; c &gt; d &amp; e --&gt; f\n");
  }

  @Test
  void canonicalisesAllowedTagsAndDropsAttributes() {
    assertThat(webVtt(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c.yellow.big onclick=x>c</c> <v.loud Ann \"x\">v</v>"
        + " <B>b</B> <00:00:01.500>t <lang en-GB>l</lang> <ruby>r<rt>t</rt></ruby>\n")))
        .endsWith("\n<c.yellow.big>c</c> <v.loud Ann x>v</v> <b>b</b> <00:00:01.500>t <lang en-GB>l</lang>"
            + " <ruby>r<rt>t</rt></ruby>\n");
  }

  @Test
  void dropsStyleBlocksAndInvalidCueSettings() {
    String out = webVtt(vtt("WEBVTT\n\nSTYLE\n::cue { background: url(javascript:x) }\n\n"
        + "00:00:01.000 --> 00:00:02.000 align:middle line:0 evil:<x> size:50%\nx\n"));
    assertThat(out).doesNotContain("STYLE", "javascript", "evil", "align:middle")
        .contains("00:00:01.000 --> 00:00:02.000 line:0 size:50%\n");
  }
}
