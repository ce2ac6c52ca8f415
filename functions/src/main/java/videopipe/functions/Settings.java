package videopipe.functions;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import videopipe.functions.metadata.Container;

/**
 * The functions' configuration, read once from the environment (a Lambda's environment variables,
 * set by Pulumi or by the local stack). Missing or malformed values fail at start-up, naming the
 * variable, rather than on the first event.
 *
 * @param catalogTable DynamoDB table of the catalog ({@code CATALOG_TABLE})
 * @param eventBus EventBridge bus for {@code Video Ready}/{@code Video Failed} ({@code EVENT_BUS_NAME})
 * @param maxUploadBytes largest accepted source ({@code MAX_UPLOAD_BYTES}, default 5 GiB)
 * @param maxDurationSeconds longest accepted video ({@code MAX_DURATION_SECONDS}, default 4 h)
 * @param allowedContainers accepted containers ({@code ALLOWED_CONTAINERS}, comma-separated, default all)
 * @param s3PathStyle path-style S3 addressing ({@code S3_FORCE_PATH_STYLE}); only emulators on
 *     loopback need it, where {@code bucket.localhost} does not resolve
 * @param uploadBucket where creators upload sources ({@code UPLOAD_BUCKET}); only the upload API
 *     needs it, and fails at start without it (see {@link #requireUploadBucket()})
 * @param mediaBucket where renditions are read from ({@code MEDIA_BUCKET}, default the upload bucket:
 *     one source/media bucket per stack)
 * @param uploadUrlTtlSeconds lifetime of presigned upload URLs ({@code UPLOAD_URL_TTL_SECONDS},
 *     default 15 min, at most 7 days as SigV4 allows)
 * @param downloadUrlTtlSeconds lifetime of presigned media URLs ({@code DOWNLOAD_URL_TTL_SECONDS},
 *     default 5 min)
 * @param singlePutMaxBytes largest upload offered one PUT; larger ones get a multipart plan
 *     ({@code SINGLE_PUT_MAX_BYTES}, default 100 MiB, at most 5 GiB, S3's single PUT limit)
 * @param stackName the stack this function belongs to ({@code STACK_NAME}): MediaConvert jobs carry it
 *     in their user metadata, so that each stack's rule takes only its own jobs' events off the
 *     account's shared default bus
 * @param mediaConvertRole the IAM role MediaConvert assumes to read sources and write renditions
 *     ({@code MEDIACONVERT_ROLE_ARN}); only submitTranscode needs it (see {@link #requireMediaConvertRole()})
 * @param mediaConvertQueue the MediaConvert queue ({@code MEDIACONVERT_QUEUE}, default the account's
 *     Default queue)
 * @param ladder the ABR ladder ({@code TRANSCODE_LADDER}, see {@link videopipe.functions.transcode.Ladder#parse})
 * @param automaticCaptions whether attachCaptions asks Amazon Transcribe for automatic captions
 *     ({@code TRANSCRIBE_CAPTIONS}, default false; the local stack has no Transcribe)
 * @param maxCaptionBytes largest accepted caption sidecar ({@code CAPTION_MAX_BYTES}, default 1 MiB)
 */
public record Settings(
    String catalogTable,
    String eventBus,
    long maxUploadBytes,
    long maxDurationSeconds,
    Set<Container> allowedContainers,
    boolean s3PathStyle,
    String uploadBucket,
    String mediaBucket,
    long uploadUrlTtlSeconds,
    long downloadUrlTtlSeconds,
    long singlePutMaxBytes,
    String mediaConvertRole,
    String mediaConvertQueue,
    videopipe.functions.transcode.Ladder ladder,
    boolean automaticCaptions,
    long maxCaptionBytes,
    String stackName) {

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;
  public static final long DEFAULT_MAX_DURATION_SECONDS = 4 * 3600;
  public static final long DEFAULT_UPLOAD_URL_TTL_SECONDS = 900;
  public static final long DEFAULT_DOWNLOAD_URL_TTL_SECONDS = 300;
  public static final long DEFAULT_SINGLE_PUT_MAX_BYTES = 100L * 1024 * 1024;
  public static final long DEFAULT_MAX_CAPTION_BYTES = 1024 * 1024;
  /** SigV4 presigned URLs live at most 7 days. */
  private static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
  /** S3 refuses a single PUT over 5 GiB. */
  private static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;

  public Settings {
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("MAX_UPLOAD_BYTES must be positive, was " + maxUploadBytes);
    }
    if (maxDurationSeconds <= 0) {
      throw new IllegalArgumentException("MAX_DURATION_SECONDS must be positive, was " + maxDurationSeconds);
    }
    if (allowedContainers.isEmpty()) {
      throw new IllegalArgumentException("ALLOWED_CONTAINERS names no container");
    }
    allowedContainers = Set.copyOf(allowedContainers);
    if (uploadUrlTtlSeconds <= 0 || uploadUrlTtlSeconds > MAX_PRESIGN_SECONDS) {
      throw new IllegalArgumentException("UPLOAD_URL_TTL_SECONDS must be 1.." + MAX_PRESIGN_SECONDS + ", was "
          + uploadUrlTtlSeconds);
    }
    if (downloadUrlTtlSeconds <= 0 || downloadUrlTtlSeconds > MAX_PRESIGN_SECONDS) {
      throw new IllegalArgumentException("DOWNLOAD_URL_TTL_SECONDS must be 1.." + MAX_PRESIGN_SECONDS + ", was "
          + downloadUrlTtlSeconds);
    }
    if (singlePutMaxBytes <= 0 || singlePutMaxBytes > MAX_SINGLE_PUT_BYTES) {
      throw new IllegalArgumentException("SINGLE_PUT_MAX_BYTES must be 1.." + MAX_SINGLE_PUT_BYTES + ", was "
          + singlePutMaxBytes);
    }
    if (mediaBucket == null) {
      mediaBucket = uploadBucket;
    }
    if (maxCaptionBytes <= 0) {
      throw new IllegalArgumentException("CAPTION_MAX_BYTES must be positive, was " + maxCaptionBytes);
    }
  }

  /** The MediaConvert role, for submitTranscode: fails naming the variable. */
  public String requireMediaConvertRole() {
    if (mediaConvertRole == null) {
      throw new IllegalStateException("environment variable MEDIACONVERT_ROLE_ARN is not set");
    }
    return mediaConvertRole;
  }

  /** The media bucket, for the functions that write renditions or captions: fails naming the variable. */
  public String requireMediaBucket() {
    if (mediaBucket == null) {
      throw new IllegalStateException("environment variable MEDIA_BUCKET (or UPLOAD_BUCKET) is not set");
    }
    return mediaBucket;
  }

  /** The upload bucket, for the functions that cannot work without it: fails naming the variable. */
  public String requireUploadBucket() {
    if (uploadBucket == null) {
      throw new IllegalStateException("environment variable UPLOAD_BUCKET is not set");
    }
    return uploadBucket;
  }

  public static Settings from(Map<String, String> env) {
    return from(env::get);
  }

  /**
   * Reads the settings through a lookup: a Lambda's environment variables as Spring's {@code
   * Environment} sees them (which also lets a local runtime give each function, in its own class
   * loader, its own values).
   */
  public static Settings from(java.util.function.UnaryOperator<String> env) {
    return new Settings(
        required(env, "CATALOG_TABLE"),
        required(env, "EVENT_BUS_NAME"),
        positiveLong(env, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
        positiveLong(env, "MAX_DURATION_SECONDS", DEFAULT_MAX_DURATION_SECONDS),
        containers(env.apply("ALLOWED_CONTAINERS")),
        Boolean.parseBoolean(env.apply("S3_FORCE_PATH_STYLE")),
        optional(env, "UPLOAD_BUCKET"),
        optional(env, "MEDIA_BUCKET"),
        positiveLong(env, "UPLOAD_URL_TTL_SECONDS", DEFAULT_UPLOAD_URL_TTL_SECONDS),
        positiveLong(env, "DOWNLOAD_URL_TTL_SECONDS", DEFAULT_DOWNLOAD_URL_TTL_SECONDS),
        positiveLong(env, "SINGLE_PUT_MAX_BYTES", DEFAULT_SINGLE_PUT_MAX_BYTES),
        optional(env, "MEDIACONVERT_ROLE_ARN"),
        optional(env, "MEDIACONVERT_QUEUE"),
        ladder(env.apply("TRANSCODE_LADDER")),
        Boolean.parseBoolean(env.apply("TRANSCRIBE_CAPTIONS")),
        positiveLong(env, "CAPTION_MAX_BYTES", DEFAULT_MAX_CAPTION_BYTES),
        optional(env, "STACK_NAME"));
  }

  private static videopipe.functions.transcode.Ladder ladder(String value) {
    if (value == null || value.isBlank()) {
      return videopipe.functions.transcode.Ladder.DEFAULT;
    }
    try {
      return videopipe.functions.transcode.Ladder.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("environment variable TRANSCODE_LADDER is malformed: " + e.getMessage());
    }
  }

  private static String optional(java.util.function.UnaryOperator<String> env, String name) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String required(java.util.function.UnaryOperator<String> env, String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value.trim();
  }

  private static long positiveLong(java.util.function.UnaryOperator<String> env, String name, long fallback) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("environment variable " + name + " is not a whole number: '" + value + "'");
    }
  }

  private static Set<Container> containers(String value) {
    if (value == null || value.isBlank()) {
      return EnumSet.allOf(Container.class);
    }
    EnumSet<Container> set = EnumSet.noneOf(Container.class);
    for (String name : value.split(",")) {
      String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      if (n.isEmpty()) {
        continue;
      }
      try {
        set.add(Container.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("ALLOWED_CONTAINERS names an unknown container '" + name.trim()
            + "'; known: " + EnumSet.allOf(Container.class));
      }
    }
    return set;
  }
}
