package videopipe.functions.transcode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;

/**
 * A hand fake of {@link TranscodeJobs}, kept minimal: there is no local MediaConvert yet (issue 7
 * builds it in localstack/ in parallel). It remembers the requests, honours the client request
 * token as MediaConvert does within its minute, and lets a test set a job's status.
 */
final class FakeMediaConvert implements TranscodeJobs {

  final List<CreateJobRequest> created = new ArrayList<>();
  private final Map<String, String> byToken = new HashMap<>();
  private final Map<String, JobState> jobs = new HashMap<>();

  @Override
  public synchronized String create(CreateJobRequest request) {
    String existing = byToken.get(request.clientRequestToken());
    if (existing != null) {
      return existing;
    }
    created.add(request);
    String id = "job-" + created.size() + "-" + request.userMetadata().get("videoId");
    byToken.put(request.clientRequestToken(), id);
    jobs.put(id, new JobState(id, "SUBMITTED", null, null));
    return id;
  }

  @Override
  public synchronized JobState state(String jobId) {
    return jobs.getOrDefault(jobId, new JobState(jobId, "NOT_FOUND", null, "no such job"));
  }

  synchronized void set(String jobId, String status, Integer errorCode, String message) {
    jobs.put(jobId, new JobState(jobId, status, errorCode, message));
  }
}
