package videopipe.functions.captions;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import videopipe.functions.AwsErrors;
import videopipe.functions.TransientFailure;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.publish.CaptionTrack;

/**
 * {@code attachCaptions}: the sidecar captions uploaded beside the source, at
 * {@code uploads/{ownerId}/{videoId}/captions/{lang}.vtt|.srt} (BCP-47 language), each validated and
 * written as WebVTT to {@code media/{videoId}/captions/{lang}.vtt}, then recorded in the catalog.
 * A bad file rejects only its language, with a reason; the video still publishes.
 *
 * <p>Automatic captions: see {@link AutomaticCaptions} ({@code UNAVAILABLE} unless the stack
 * enables Amazon Transcribe; never an invented transcript). Their status is recorded with the
 * sidecars' tracks; {@link TranscriptionCompleted} attaches Transcribe's result when it ends.
 */
public final class AttachCaptions implements Function<CaptionsRequest, Captions> {

  private static final Logger log = LoggerFactory.getLogger(AttachCaptions.class);
  private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}");

  private final Catalog catalog;
  private final S3Client s3;
  private final String mediaBucket;
  private final long maxBytes;
  private final AutomaticCaptions automatic;

  public AttachCaptions(Catalog catalog, S3Client s3, String mediaBucket, long maxBytes, AutomaticCaptions automatic) {
    this.catalog = catalog;
    this.s3 = s3;
    this.mediaBucket = mediaBucket;
    this.maxBytes = maxBytes;
    this.automatic = automatic;
  }

  @Override
  public Captions apply(CaptionsRequest r) {
    if (r == null || blank(r.videoId()) || blank(r.ownerId()) || blank(r.bucket()) || blank(r.executionArn())) {
      throw new IllegalArgumentException("attachCaptions needs 'videoId', 'ownerId', 'bucket' and 'executionArn'");
    }
    if (mediaBucket == null || mediaBucket.isBlank()) {
      throw new IllegalStateException("environment variable MEDIA_BUCKET (or UPLOAD_BUCKET) is not set");
    }
    String prefix = "uploads/" + r.ownerId() + "/" + r.videoId() + "/captions/";
    Map<String, CaptionTrack> tracks = new LinkedHashMap<>();
    List<Captions.Rejected> rejected = new ArrayList<>();
    List<S3Object> files = new ArrayList<>();
    try {
      s3.listObjectsV2Paginator(b -> b.bucket(r.bucket()).prefix(prefix)).contents().forEach(files::add);
    } catch (SdkException e) {
      throw AwsErrors.classify("listing the captions of video " + r.videoId(), e);
    }
    // .vtt before .srt, so that a language given in both keeps its WebVTT.
    files.sort(java.util.Comparator.comparing((S3Object o) -> !o.key().endsWith(".vtt")).thenComparing(S3Object::key));
    for (S3Object file : files) {
      String name = file.key().substring(prefix.length());
      int dot = name.lastIndexOf('.');
      String lang = dot > 0 ? name.substring(0, dot) : name;
      String ext = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
      CaptionFormat format = ext.equals("vtt") ? CaptionFormat.VTT : ext.equals("srt") ? CaptionFormat.SRT : null;
      if (name.contains("/") || format == null) {
        rejected.add(new Captions.Rejected(name, null, "not a caption file: name it {language}.vtt or {language}.srt"));
        continue;
      }
      if (!LANG.matcher(lang).matches() || Locale.forLanguageTag(lang).getLanguage().isEmpty()) {
        rejected.add(new Captions.Rejected(name, null, "'" + lang + "' is not a BCP-47 language tag (e.g. en, pt-BR)"));
        continue;
      }
      String tag = Locale.forLanguageTag(lang).toLanguageTag();
      if (tracks.containsKey(tag)) {
        rejected.add(new Captions.Rejected(name, tag, "a second file for " + tag + "; the .vtt one is kept"));
        continue;
      }
      if (file.size() != null && file.size() > maxBytes) {
        rejected.add(new Captions.Rejected(name, tag, "too large: " + file.size() + " bytes, at most " + maxBytes));
        continue;
      }
      byte[] bytes = read(r.bucket(), file.key());
      if (bytes.length > maxBytes) {
        rejected.add(new Captions.Rejected(name, tag, "too large: more than " + maxBytes + " bytes"));
        continue;
      }
      CaptionParser.Result result = CaptionParser.parse(bytes, format);
      if (result instanceof CaptionParser.Result.Invalid invalid) {
        rejected.add(new Captions.Rejected(name, tag, invalid.reason()));
        continue;
      }
      String key = "media/" + r.videoId() + "/captions/" + tag + ".vtt";
      write(key, ((CaptionParser.Result.Parsed) result).webVtt());
      tracks.put(tag, new CaptionTrack(tag, label(tag), key));
    }
    List<CaptionTrack> attached = List.copyOf(tracks.values());
    Captions.Automatic auto = r.key() == null || r.key().isBlank()
        ? new Captions.Automatic(AutomaticCaptions.UNAVAILABLE, "no source key in the input to transcribe")
        : automatic.request(r.videoId(), r.bucket(), r.key(), tracks.keySet());
    catalog.recordCaptions(r.videoId(), r.executionArn(), attached, rejected, auto);
    log.info("video {}: {} caption track(s) attached, {} rejected; automatic captions {}", r.videoId(),
        attached.size(), rejected.size(), auto.status());
    return new Captions(r.videoId(), attached, List.copyOf(rejected), auto);
  }

  /** The language's name in itself, capitalised: "English", "Français", "Português (Brasil)". */
  static String label(String tag) {
    Locale locale = Locale.forLanguageTag(tag);
    String name = locale.getDisplayName(locale);
    if (name.isEmpty() || name.equalsIgnoreCase(tag)) {
      return tag;
    }
    return name.substring(0, 1).toUpperCase(locale) + name.substring(1);
  }

  /** At most {@code maxBytes + 1} bytes, whatever the object's size now: a bounded range. */
  private byte[] read(String bucket, String key) {
    try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-" + maxBytes))) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (SdkException e) {
      throw AwsErrors.classify("reading caption " + key, e);
    } catch (IOException e) {
      throw new TransientFailure("reading caption " + key + ": " + e.getMessage(), e);
    }
  }

  private void write(String key, String webVtt) {
    try {
      s3.putObject(b -> b.bucket(mediaBucket).key(key).contentType("text/vtt; charset=utf-8"),
          RequestBody.fromString(webVtt, java.nio.charset.StandardCharsets.UTF_8));
    } catch (SdkException e) {
      throw AwsErrors.classify("writing caption " + key, e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
