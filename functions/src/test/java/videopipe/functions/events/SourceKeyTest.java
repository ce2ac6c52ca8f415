package videopipe.functions.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keys arrive form-URL-encoded in S3's events; decoding them wrong reads the wrong object. */
class SourceKeyTest {

  @Test
  void decodesPlusAsSpaceAndPercent2BAsPlus() {
    assertThat(SourceKey.decode("uploads/a+b%2Bc/vid/source")).contains("uploads/a b+c/vid/source");
  }

  @Test
  void decodesUtf8PercentEscapes() {
    assertThat(SourceKey.decode("uploads/%C3%A9l%C3%A8ve/%E2%9C%93/source")).contains("uploads/élève/✓/source");
  }

  @Test
  void refusesMalformedEscape() {
    assertThat(SourceKey.decode("uploads/owner/vid%2/source")).isEmpty();
  }

  @Test
  void refusesInvalidUtf8() {
    assertThat(SourceKey.decode("uploads/owner/%FF%FE/source")).isEmpty();
  }

  @Test
  void parsesTheUploadLayout() {
    assertThat(SourceKey.parse("uploads/3f1c-owner/VID_abc-123/source"))
        .contains(new SourceKey("3f1c-owner", "VID_abc-123", "uploads/3f1c-owner/VID_abc-123/source"));
  }

  @Test
  void refusesDotDotSegments() {
    assertThat(SourceKey.parse("uploads/../VID_abc-123/source")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner/../source")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner/VID_abc-123/../source")).isEmpty();
  }

  @Test
  void refusesKeysOutsideUploads() {
    assertThat(SourceKey.parse("media/owner/VID_abc-123/source")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner/VID_abc-123/captions/en.vtt")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner/VID_abc-123/source/extra")).isEmpty();
    assertThat(SourceKey.parse("/uploads/owner/VID_abc-123/source")).isEmpty();
  }

  @Test
  void refusesSpacesUnicodeAndControlCharactersInIds() {
    assertThat(SourceKey.parse("uploads/own er/VID_abc-123/source")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner/vidé0000/source")).isEmpty();
    assertThat(SourceKey.parse("uploads/owner\u0000/VID_abc-123/source")).isEmpty();
  }
}
