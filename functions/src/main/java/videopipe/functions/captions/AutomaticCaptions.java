package videopipe.functions.captions;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.transcribe.TranscribeClient;
import software.amazon.awssdk.services.transcribe.model.BadRequestException;
import software.amazon.awssdk.services.transcribe.model.ConflictException;
import software.amazon.awssdk.services.transcribe.model.SubtitleFormat;
import software.amazon.awssdk.services.transcribe.model.TranscriptionJob;
import videopipe.functions.AwsErrors;

/**
 * Automatic captions from Amazon Transcribe, when the stack enables them ({@code
 * TRANSCRIBE_CAPTIONS}; never locally, where there is no Transcribe: there they are reported
 * {@code UNAVAILABLE}, never an invented transcript).
 *
 * <p>Starts ONE transcription job per video (named after it, so a re-run finds it instead of
 * starting another), with the language identified and WebVTT subtitles written under
 * {@code media/{videoId}/captions/auto/}. Transcribe runs asynchronously: this reports the job's
 * status. Attaching its subtitles when it completes (validated by {@link CaptionParser} like a
 * sidecar) is not built yet.
 */
public final class AutomaticCaptions {

  private final Supplier<TranscribeClient> client;
  private final String mediaBucket;

  private AutomaticCaptions(Supplier<TranscribeClient> client, String mediaBucket) {
    this.client = client;
    this.mediaBucket = mediaBucket;
  }

  /** Disabled: every video gets {@code UNAVAILABLE} with the reason. */
  public static AutomaticCaptions disabled() {
    return new AutomaticCaptions(null, null);
  }

  /** Enabled: the client is built on first use only. */
  public static AutomaticCaptions enabled(Supplier<TranscribeClient> client, String mediaBucket) {
    return new AutomaticCaptions(client, mediaBucket);
  }

  /** Transcribe's job names: letters, digits, {@code . _ -}; ours are never longer than 200. */
  static String jobName(String videoId) {
    return "videopipe-" + videoId.replaceAll("[^0-9A-Za-z._-]", "_");
  }

  static String outputPrefix(String videoId) {
    return "media/" + videoId + "/captions/auto/";
  }

  public Captions.Automatic request(String videoId, String sourceBucket, String sourceKey) {
    if (client == null) {
      return new Captions.Automatic("UNAVAILABLE", "automatic captions are disabled for this stack (TRANSCRIBE_CAPTIONS)");
    }
    String name = jobName(videoId);
    try {
      client.get().startTranscriptionJob(b -> b
          .transcriptionJobName(name)
          .media(m -> m.mediaFileUri("s3://" + sourceBucket + "/" + sourceKey))
          .identifyLanguage(true)
          .subtitles(s -> s.formats(SubtitleFormat.VTT).outputStartIndex(1))
          .outputBucketName(mediaBucket)
          .outputKey(outputPrefix(videoId)));
      return new Captions.Automatic("STARTED", "Amazon Transcribe job " + name + " started");
    } catch (ConflictException e) {
      return status(name);
    } catch (BadRequestException e) {
      // The media cannot be transcribed (format, size, duration): captions are optional, the video
      // still publishes.
      return new Captions.Automatic("FAILED", "Amazon Transcribe refused the job: " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("starting the transcription of video " + videoId, e);
    }
  }

  /** A re-run: the job exists already; report where it is. */
  private Captions.Automatic status(String name) {
    try {
      TranscriptionJob job = client.get().getTranscriptionJob(b -> b.transcriptionJobName(name)).transcriptionJob();
      String status = job.transcriptionJobStatusAsString();
      String reason = "Amazon Transcribe job " + name + " is " + status
          + (job.failureReason() == null ? "" : ": " + job.failureReason());
      return new Captions.Automatic(status, reason);
    } catch (SdkException e) {
      throw AwsErrors.classify("reading transcription job " + name, e);
    }
  }
}
