package videopipe.functions.transcode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;
import software.amazon.awssdk.services.mediaconvert.model.Job;
import software.amazon.awssdk.services.mediaconvert.model.NotFoundException;
import videopipe.functions.AwsErrors;

/**
 * The two MediaConvert calls submitTranscode makes, on MediaConvert itself: AWS's, or the local
 * stack's through {@code AWS_ENDPOINT_URL_MEDIACONVERT}. No interface: there is one MediaConvert,
 * and the tests run against the local one.
 */
final class MediaConvertJobs {

  /** A job as GetJob reports it: SUBMITTED, PROGRESSING, COMPLETE, CANCELED, ERROR (or NOT_FOUND). */
  record JobState(String jobId, String status, Integer errorCode, String errorMessage) {

    boolean running() {
      return "SUBMITTED".equals(status) || "PROGRESSING".equals(status);
    }

    boolean complete() {
      return "COMPLETE".equals(status);
    }
  }

  private final MediaConvertClient client;

  MediaConvertJobs(MediaConvertClient client) {
    this.client = client;
  }

  /** Submits the job; returns its id (the first job's id when the token was used within a minute). */
  String create(CreateJobRequest request) {
    try {
      return client.createJob(request).job().id();
    } catch (SdkException e) {
      throw AwsErrors.classify("submitting the MediaConvert job for " + request.userMetadata().get("videoId"), e);
    }
  }

  /** The job's state, or a {@code NOT_FOUND} state when MediaConvert does not know it. */
  JobState state(String jobId) {
    try {
      Job job = client.getJob(b -> b.id(jobId)).job();
      return new JobState(job.id(), job.statusAsString(), job.errorCode(), job.errorMessage());
    } catch (NotFoundException e) {
      return new JobState(jobId, "NOT_FOUND", null, e.getMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("reading MediaConvert job " + jobId, e);
    }
  }
}
