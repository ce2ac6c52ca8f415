package videopipe.functions.transcode;

import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;

/**
 * The two MediaConvert calls submitTranscode makes. STYLE.md says an interface needs two real
 * adapters, and MediaConvert has one ({@link MediaConvertJobs}): this seam exists ONLY because
 * the local MediaConvert (issue 7, in {@code localstack/}) is being built in parallel, so the
 * catalog binding and the retry/redrive logic are tested against dynalite with a hand fake of
 * this interface. Once the local MediaConvert is served, test through it and remove this seam.
 */
public interface TranscodeJobs {

  /** Submits the job; returns its id (the first job's id when the token was used within a minute). */
  String create(CreateJobRequest request);

  /** The job's state, or a {@code NOT_FOUND} state when MediaConvert does not know it. */
  JobState state(String jobId);

  /** A job as GetJob reports it: SUBMITTED, PROGRESSING, COMPLETE, CANCELED, ERROR (or NOT_FOUND). */
  record JobState(String jobId, String status, Integer errorCode, String errorMessage) {

    public boolean running() {
      return "SUBMITTED".equals(status) || "PROGRESSING".equals(status);
    }

    public boolean complete() {
      return "COMPLETE".equals(status);
    }
  }
}
