package videopipe.functions.transcode;

import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.Catalog.TranscodeBinding;
import videopipe.functions.publish.Rendition;

/**
 * {@code submitTranscode}, a {@code .waitForTaskToken} task: picks the ladder, submits ONE
 * MediaConvert job per video and ladder, and binds {@code {jobId, taskToken}} to the catalog item
 * for {@code transcodeCompleted} to answer.
 *
 * <p>It may run again for the same video (a Retry, a Lambda retry, a redrive), each time with a NEW
 * task token, and must not start a second job:
 * <ul>
 *   <li>job still SUBMITTED/PROGRESSING, or COMPLETE but its event not yet handled → the new token
 *       is bound to it; then the item is read again, and if the completion was recorded meanwhile
 *       the token is answered here (transcodeCompleted may have read the old token);
 *   <li>job COMPLETE with its outputs recorded → SendTaskSuccess for the new token at once;
 *   <li>job ERROR/CANCELED (or unknown to MediaConvert), or the ladder changed → a new job, with a
 *       new client request token, replacing the old one on the item.
 * </ul>
 */
public final class SubmitTranscode implements Function<TranscodeRequest, Submission> {

  private static final Logger log = LoggerFactory.getLogger(SubmitTranscode.class);
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final Catalog catalog;
  private final MediaConvertJobs jobs;
  private final StepFunctionsTaskTokens tokens;
  private final Ladder ladder;
  private final JobRequests.Target target;

  public SubmitTranscode(Catalog catalog, MediaConvertClient mediaConvert, SfnClient stepFunctions, Ladder ladder,
      JobRequests.Target target) {
    this.catalog = catalog;
    this.jobs = new MediaConvertJobs(mediaConvert);
    this.tokens = new StepFunctionsTaskTokens(stepFunctions);
    this.ladder = ladder;
    this.target = target;
  }

  @Override
  public Submission apply(TranscodeRequest r) {
    target.require();
    if (r == null || blank(r.videoId()) || blank(r.executionArn()) || blank(r.taskToken()) || blank(r.bucket())
        || blank(r.key()) || r.metadata() == null) {
      throw new IllegalArgumentException(
          "submitTranscode needs 'videoId', 'executionArn', 'bucket', 'key', 'metadata' and 'taskToken'");
    }
    TranscodeBinding binding = catalog.transcodeBinding(r.videoId())
        .orElseThrow(() -> new IllegalStateException("video " + r.videoId() + " does not exist"));
    if (!r.executionArn().equals(binding.claimedBy())) {
      throw new IllegalStateException("video " + r.videoId() + " is claimed by " + binding.claimedBy()
          + ", not by execution " + r.executionArn());
    }
    String replacing = null;
    if (binding.jobId() != null) {
      if (!ladder.fingerprint().equals(binding.ladder())) {
        log.info("video {}: the ladder changed since job {}; submitting a new job", r.videoId(), binding.jobId());
        replacing = binding.jobId();
      } else {
        MediaConvertJobs.JobState state = jobs.state(binding.jobId());
        if (state.complete() && binding.outputs() != null) {
          return answer(r, binding);
        }
        if (state.running() || state.complete()) {
          return rebind(r, binding.jobId());
        }
        log.info("video {}: job {} is {} ({} {}); submitting a new one", r.videoId(), binding.jobId(),
            state.status(), state.errorCode(), state.errorMessage());
        replacing = binding.jobId();
      }
    }
    return submit(r, replacing);
  }

  private Submission submit(TranscodeRequest r, String replacing) {
    TranscodePlan plan = LadderPicker.pick(r.metadata(), ladder);
    var request = JobRequests.createJob(new JobRequests.Source(r.videoId(), r.executionArn(), r.bucket(), r.key()),
        plan, target, JobRequests.clientRequestToken(r.videoId(), ladder, replacing));
    String jobId = jobs.create(request);
    List<Rendition> renditions = JobRequests.renditions(r.videoId(), plan);
    if (!catalog.bindTranscodeJob(r.videoId(), r.executionArn(), jobId, r.taskToken(), ladder.fingerprint(),
        renditions, replacing)) {
      // Another run bound a different job between our read and this write: a bug or a race that an
      // operator must see; the job just submitted is orphaned (its events will be ignored as stale).
      throw new IllegalStateException("video " + r.videoId() + ": job " + jobId + " could not be bound: "
          + catalog.transcodeBinding(r.videoId()).map(b -> "it is " + b.status() + " with job " + b.jobId()
              + ", claimed by " + b.claimedBy()).orElse("it does not exist"));
    }
    log.info("video {}: submitted MediaConvert job {} ({} renditions{})", r.videoId(), jobId, renditions.size(),
        replacing == null ? "" : ", replacing " + replacing);
    return new Submission.Submitted(r.videoId(), jobId, replacing);
  }

  private Submission rebind(TranscodeRequest r, String jobId) {
    TranscodeBinding bound = catalog.rebindTaskToken(r.videoId(), r.executionArn(), jobId, r.taskToken())
        .orElseThrow(() -> new IllegalStateException("video " + r.videoId() + ": the task token could not be "
            + "re-bound to job " + jobId + " (the item names another job or execution, or is final)"));
    if (bound.outputs() != null) {
      // The completion was recorded between our read and the re-binding: it may have answered the
      // old token, so answer the new one here (answering a token twice is harmless: the second is
      // refused as no longer waiting).
      return answer(r, bound);
    }
    log.info("video {}: job {} still running; re-bound the new task token", r.videoId(), jobId);
    return new Submission.Rebound(r.videoId(), jobId);
  }

  private Submission answer(TranscodeRequest r, TranscodeBinding binding) {
    StepFunctionsTaskTokens.Delivery d = tokens.succeed(r.taskToken(), JSON.writeValueAsString(binding.outputs()));
    if (!d.delivered()) {
      log.warn("video {}: the new task token was not waiting: {}", r.videoId(), d.why());
    }
    return new Submission.AnsweredAtOnce(r.videoId(), binding.jobId(), d.delivered());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
