package videopipe.functions.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import videopipe.functions.metadata.Container;

/**
 * {@code POST /uploads}, checked: what the creator says they will send.
 *
 * @param contentType one of {@link #CONTENT_TYPES}, in lower case: the presigned PUT signs it, so
 *     the client must send exactly this value
 */
record UploadRequest(String fileName, String contentType, long sizeBytes, List<Caption> captions) {

  /**
   * A sidecar caption file: its language (BCP-47), the creator's file name, its format, and its
   * size when the creator declared one (null otherwise: the URL then binds no length, and
   * attachCaptions enforces CAPTION_MAX_BYTES when it reads the file).
   */
  record Caption(String lang, String fileName, String extension, String contentType, Long sizeBytes) {}

  /** The video types accepted, and the container each must turn out to be. */
  static final Map<String, Container> CONTENT_TYPES = Map.of(
      "video/mp4", Container.MP4,
      "video/quicktime", Container.MOV,
      "video/x-matroska", Container.MATROSKA,
      "video/webm", Container.WEBM,
      "video/x-msvideo", Container.AVI,
      "video/mp2t", Container.MPEG_TS);

  static final int MAX_CAPTIONS = 8;

  /** A language tag: language, optional script, optional region ({@code en}, {@code pt-BR}, {@code zh-Hant-TW}). */
  private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?");

  /** Parses and checks a request body; throws the first problem found, naming its field. */
  static UploadRequest parse(JsonNode body, long maxBytes, long maxCaptionBytes, Set<Container> allowed) {
    JsonBody.onlyFields(body, "", Set.of("fileName", "contentType", "sizeBytes", "captions"));
    String fileName = FileNames.check(JsonBody.string(body, "fileName", ""), "fileName");
    String contentType = JsonBody.string(body, "contentType", "").trim().toLowerCase(Locale.ROOT);
    Container container = CONTENT_TYPES.get(contentType);
    if (container == null || !allowed.contains(container)) {
      throw ApiError.UNSUPPORTED_CONTENT_TYPE.because("'" + contentType + "' is not an accepted video type; send one of "
          + CONTENT_TYPES.entrySet().stream().filter(e -> allowed.contains(e.getValue())).map(Map.Entry::getKey)
              .sorted().toList(), "contentType");
    }
    long size = JsonBody.integer(body, "sizeBytes", "");
    if (size <= 0) {
      throw ApiError.INVALID_FIELD.because("'sizeBytes' must be positive", "sizeBytes");
    }
    if (size > maxBytes) {
      throw ApiError.TOO_LARGE.because("the video is " + size + " bytes; at most " + maxBytes + " are accepted",
          "sizeBytes");
    }
    return new UploadRequest(fileName, contentType, size, captions(body.get("captions"), maxCaptionBytes));
  }

  private static List<Caption> captions(JsonNode node, long maxCaptionBytes) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw ApiError.INVALID_FIELD.because("'captions' must be an array", "captions");
    }
    if (node.size() > MAX_CAPTIONS) {
      throw ApiError.TOO_MANY_CAPTIONS.because(node.size() + " caption files; at most " + MAX_CAPTIONS, "captions");
    }
    List<Caption> captions = new ArrayList<>();
    Set<String> langs = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "captions[" + i + "].";
      JsonNode c = node.get(i);
      if (!c.isObject()) {
        throw ApiError.INVALID_FIELD.because("a caption must be an object {lang, fileName, sizeBytes?}",
            "captions[" + i + "]");
      }
      JsonBody.onlyFields(c, path, Set.of("lang", "fileName", "sizeBytes"));
      String lang = JsonBody.string(c, "lang", path);
      if (!LANG.matcher(lang).matches()) {
        throw ApiError.INVALID_FIELD.because("'" + lang + "' is not a language tag like 'en' or 'pt-BR'", path + "lang");
      }
      lang = Locale.forLanguageTag(lang).toLanguageTag();
      if (!langs.add(lang.toLowerCase(Locale.ROOT))) {
        throw ApiError.INVALID_FIELD.because("captions in '" + lang + "' are declared twice", path + "lang");
      }
      String fileName = FileNames.check(JsonBody.string(c, "fileName", path), path + "fileName");
      String lower = fileName.toLowerCase(Locale.ROOT);
      String extension = lower.endsWith(".vtt") ? "vtt" : lower.endsWith(".srt") ? "srt" : null;
      if (extension == null) {
        throw ApiError.INVALID_FIELD.because("caption files must be WebVTT (.vtt) or SubRip (.srt)", path + "fileName");
      }
      Long size = null;
      if (c.has("sizeBytes") && !c.get("sizeBytes").isNull()) {
        size = JsonBody.integer(c, "sizeBytes", path);
        if (size <= 0 || size > maxCaptionBytes) {
          throw ApiError.INVALID_FIELD.because("'sizeBytes' must be 1.." + maxCaptionBytes, path + "sizeBytes");
        }
      }
      captions.add(new Caption(lang, fileName, extension, extension.equals("vtt") ? "text/vtt" : "application/x-subrip",
          size));
    }
    return captions;
  }
}
