package videopipe.functions.captions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.transcribe.TranscribeClient;
import software.amazon.awssdk.services.transcribe.model.BadRequestException;
import software.amazon.awssdk.services.transcribe.model.ConflictException;
import software.amazon.awssdk.services.transcribe.model.StartTranscriptionJobRequest;
import software.amazon.awssdk.services.transcribe.model.SubtitleFormat;
import software.amazon.awssdk.services.transcribe.model.TranscriptionJob;
import videopipe.functions.AwsErrors;
import videopipe.functions.TransientFailure;
import videopipe.functions.publish.CaptionTrack;

/**
 * Automatic captions from Amazon Transcribe, when the stack enables them ({@code
 * TRANSCRIBE_CAPTIONS=true}). The local stack has no Transcribe, and there they are reported
 * {@code UNAVAILABLE} with the reason: never an invented transcript.
 *
 * <p>{@link #request} starts ONE transcription job per video, named {@link #jobName} (so a re-run
 * finds it instead of starting another), language identified, WebVTT subtitles written to the media
 * bucket under {@link #outputPrefix}. Transcribe runs asynchronously; its {@code Transcribe Job State
 * Change} event runs {@link TranscriptionCompleted}, which {@link #attach attaches} the subtitles
 * like a sidecar: validated by {@link CaptionParser}, written to
 * {@code media/{videoId}/captions/{lang}.vtt}, recorded in the catalog as automatic. A re-run of
 * attachCaptions that finds the job already COMPLETED attaches them itself (an event lost or early).
 */
public final class AutomaticCaptions {

  /** Statuses of {@link Captions.Automatic} this class reports beside Transcribe's own. */
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String STARTED = "STARTED";
  public static final String ATTACHED = "ATTACHED";
  public static final String FAILED = "FAILED";
  /** The subtitles came back but are not usable WebVTT, or a sidecar of that language is kept. */
  public static final String REJECTED = "REJECTED";

  private final Supplier<TranscribeClient> client;
  private final S3Client s3;
  private final String mediaBucket;
  private final String stack;
  private final long maxBytes;

  private AutomaticCaptions(Supplier<TranscribeClient> client, S3Client s3, String mediaBucket, String stack,
      long maxBytes) {
    this.client = client;
    this.s3 = s3;
    this.mediaBucket = mediaBucket;
    this.stack = stack;
    this.maxBytes = maxBytes;
  }

  /** Disabled: every video gets {@code UNAVAILABLE} with the reason. */
  public static AutomaticCaptions disabled() {
    return new AutomaticCaptions(null, null, null, null, 0);
  }

  /**
   * Enabled: jobs named for {@code stack} ({@code STACK_NAME}, so that each stack's rule takes its own
   * jobs' events), subtitles of at most {@code maxBytes}; the Transcribe client is built on first use.
   */
  public static AutomaticCaptions enabled(Supplier<TranscribeClient> client, S3Client s3, String mediaBucket,
      String stack, long maxBytes) {
    if (mediaBucket == null || mediaBucket.isBlank()) {
      throw new IllegalStateException("environment variable MEDIA_BUCKET (or UPLOAD_BUCKET) is not set");
    }
    if (stack == null || stack.isBlank()) {
      // The job names carry it, and the rule feeding transcriptionCompleted matches on it.
      throw new IllegalStateException("environment variable STACK_NAME is not set (TRANSCRIBE_CAPTIONS is true)");
    }
    return new AutomaticCaptions(client, s3, mediaBucket, stack, maxBytes);
  }

  public boolean isEnabled() {
    return client != null;
  }

  static Captions.Automatic unavailable() {
    return new Captions.Automatic(UNAVAILABLE, "automatic captions are off for this stack (TRANSCRIBE_CAPTIONS is "
        + "not true; the local stack has no Amazon Transcribe)");
  }

  /** {@code videopipe-{stack}-{videoId}}: Transcribe's job names are letters, digits, {@code . _ -}. */
  static String jobName(String stack, String videoId) {
    return jobPrefix(stack) + videoId.replaceAll("[^0-9A-Za-z._-]", "_");
  }

  /** What this stack's job names start with: the event rule matches on it. */
  static String jobPrefix(String stack) {
    return "videopipe-" + stack.replaceAll("[^0-9A-Za-z._-]", "_") + "-";
  }

  /** The video a job of this stack was started for; null for another stack's or a foreign job. */
  String videoIdOf(String jobName) {
    String prefix = jobPrefix(stack);
    if (jobName == null || !jobName.startsWith(prefix) || jobName.length() == prefix.length()) {
      return null;
    }
    String id = jobName.substring(prefix.length());
    return id.equals(id.replaceAll("[^0-9A-Za-z._-]", "_")) ? id : null;
  }

  static String outputPrefix(String videoId) {
    return "media/" + videoId + "/captions/auto/";
  }

  /**
   * The StartTranscriptionJob request: the source from the upload bucket, the language identified,
   * WebVTT subtitles (cue numbers from 1, as SRT counts them) beside the transcript, both under
   * {@link #outputPrefix} in the media bucket, where Transcribe names them {@code {jobName}.json}
   * and {@code {jobName}.vtt}.
   */
  static StartTranscriptionJobRequest startRequest(String jobName, String videoId, String sourceBucket,
      String sourceKey, String mediaBucket) {
    return StartTranscriptionJobRequest.builder()
        .transcriptionJobName(jobName)
        .media(m -> m.mediaFileUri("s3://" + sourceBucket + "/" + sourceKey))
        .identifyLanguage(true)
        .subtitles(s -> s.formats(SubtitleFormat.VTT).outputStartIndex(1))
        .outputBucketName(mediaBucket)
        .outputKey(outputPrefix(videoId))
        .build();
  }

  /**
   * Starts the video's job, or, on a re-run, reports the existing one (attaching its subtitles when
   * it completed). {@code sidecars}: the languages the creator's own files cover, which win.
   */
  public Captions.Automatic request(String videoId, String sourceBucket, String sourceKey, Set<String> sidecars) {
    if (client == null) {
      return unavailable();
    }
    String name = jobName(stack, videoId);
    try {
      client.get().startTranscriptionJob(startRequest(name, videoId, sourceBucket, sourceKey, mediaBucket));
      return new Captions.Automatic(STARTED, "Amazon Transcribe job " + name + " started", name, null);
    } catch (ConflictException e) {
      return attach(videoId, job(name), sidecars);
    } catch (BadRequestException e) {
      // The media cannot be transcribed (format, size, duration): captions are optional, the video
      // still publishes.
      return new Captions.Automatic(FAILED, "Amazon Transcribe refused the job: "
          + e.awsErrorDetails().errorMessage(), name, null);
    } catch (SdkException e) {
      throw AwsErrors.classify("starting the transcription of video " + videoId, e);
    }
  }

  /** GetTranscriptionJob. */
  TranscriptionJob job(String name) {
    try {
      return client.get().getTranscriptionJob(b -> b.transcriptionJobName(name)).transcriptionJob();
    } catch (SdkException e) {
      throw AwsErrors.classify("reading transcription job " + name, e);
    }
  }

  /**
   * The job as it is: COMPLETED → its WebVTT subtitles validated and written to
   * {@code media/{videoId}/captions/{lang}.vtt} ({@code ATTACHED}, with the track), unless a sidecar
   * covers that language or the file is unusable ({@code REJECTED}, with the reason); FAILED → its
   * failure reason; otherwise its status. Writes the caption file, not the catalog: the caller
   * records the result.
   */
  public Captions.Automatic attach(String videoId, TranscriptionJob job, Set<String> sidecars) {
    String name = job.transcriptionJobName();
    String status = job.transcriptionJobStatusAsString();
    if ("FAILED".equals(status)) {
      return new Captions.Automatic(FAILED, "Amazon Transcribe job " + name + " failed: " + job.failureReason(), name,
          null);
    }
    if (!"COMPLETED".equals(status)) {
      return new Captions.Automatic(status, "Amazon Transcribe job " + name + " is " + status, name, null);
    }
    if (job.languageCode() == null) {
      return new Captions.Automatic(REJECTED, "Amazon Transcribe job " + name + " identified no language", name, null);
    }
    String lang = Locale.forLanguageTag(job.languageCodeAsString()).toLanguageTag();
    String vtt = outputPrefix(videoId) + name + ".vtt";
    if (job.subtitles() == null || job.subtitles().subtitleFileUris().stream().noneMatch(u -> u.endsWith("/" + vtt))) {
      return new Captions.Automatic(REJECTED, "Amazon Transcribe job " + name + " wrote no WebVTT subtitles at "
          + vtt + " (it reports " + (job.subtitles() == null ? "none" : job.subtitles().subtitleFileUris()) + ")",
          name, null);
    }
    if (sidecars.contains(lang)) {
      return new Captions.Automatic(REJECTED, "the creator's own " + lang + " captions are kept", name, null);
    }
    byte[] bytes = read(vtt);
    if (bytes == null) {
      return new Captions.Automatic(REJECTED, "the subtitles " + vtt + " are missing from the media bucket", name, null);
    }
    if (bytes.length > maxBytes) {
      return new Captions.Automatic(REJECTED, "the subtitles are too large: more than " + maxBytes + " bytes", name,
          null);
    }
    CaptionParser.Result result = CaptionParser.parse(bytes, CaptionFormat.VTT);
    if (result instanceof CaptionParser.Result.Invalid invalid) {
      return new Captions.Automatic(REJECTED, "the subtitles are not usable WebVTT: " + invalid.reason(), name, null);
    }
    String key = "media/" + videoId + "/captions/" + lang + ".vtt";
    try {
      s3.putObject(b -> b.bucket(mediaBucket).key(key).contentType("text/vtt; charset=utf-8"),
          RequestBody.fromString(((CaptionParser.Result.Parsed) result).webVtt(), StandardCharsets.UTF_8));
    } catch (SdkException e) {
      throw AwsErrors.classify("writing caption " + key, e);
    }
    return new Captions.Automatic(ATTACHED, "Amazon Transcribe job " + name + " (" + lang + ")", name,
        new CaptionTrack(lang, AttachCaptions.label(lang) + " (automatic)", key));
  }

  /** At most {@code maxBytes + 1} bytes, with a bounded range; null when there is no such object. */
  private byte[] read(String key) {
    try (InputStream in = s3.getObject(b -> b.bucket(mediaBucket).key(key).range("bytes=0-" + maxBytes))) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchKeyException e) {
      return null;
    } catch (SdkException e) {
      throw AwsErrors.classify("reading subtitles " + key, e);
    } catch (IOException e) {
      throw new TransientFailure("reading subtitles " + key + ": " + e.getMessage(), e);
    }
  }
}
