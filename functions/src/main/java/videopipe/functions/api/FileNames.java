package videopipe.functions.api;

import java.nio.charset.StandardCharsets;

/**
 * Checks the file names creators declare. A file name is only ever stored in the catalog and shown
 * back: no key is built from it (the source is always {@code uploads/{ownerId}/{videoId}/source}).
 * Still, it is refused when it could fool whoever displays or saves it later: path separators
 * (so no {@code ../}), control characters (NUL, line breaks), bidirectional overrides that make
 * {@code exe.mp4} look like {@code 4pm.exe}, lone surrogates, or more than 255 bytes of UTF-8 (the
 * longest name common file systems store).
 */
final class FileNames {

  static final int MAX_BYTES = 255;

  private FileNames() {}

  static String check(String name, String field) {
    if (name.isBlank()) {
      throw ApiError.INVALID_FIELD.because("the file name is empty", field);
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ApiError.INVALID_FIELD.because("the file name is longer than " + MAX_BYTES + " bytes of UTF-8", field);
    }
    if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw ApiError.INVALID_FIELD.because("a file name, not a path: no '/', '\\' or dot segments", field);
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || isBidiControl(cp)) {
        throw ApiError.INVALID_FIELD.because(String.format("the file name contains the control character U+%04X",
            cp), field);
      }
      i += Character.charCount(cp);
    }
    return name;
  }

  private static boolean isBidiControl(int cp) {
    return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }
}
