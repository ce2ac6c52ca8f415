package videopipe.functions.transcode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;
import software.amazon.awssdk.services.mediaconvert.model.Job;
import software.amazon.awssdk.services.mediaconvert.model.NotFoundException;
import videopipe.functions.AwsErrors;

/** {@link TranscodeJobs} on MediaConvert itself (AWS, or the local stack's, by endpoint). */
public final class MediaConvertJobs implements TranscodeJobs {

  private final MediaConvertClient client;

  public MediaConvertJobs(MediaConvertClient client) {
    this.client = client;
  }

  @Override
  public String create(CreateJobRequest request) {
    try {
      return client.createJob(request).job().id();
    } catch (SdkException e) {
      throw AwsErrors.classify("submitting the MediaConvert job for " + request.userMetadata().get("videoId"), e);
    }
  }

  @Override
  public JobState state(String jobId) {
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
