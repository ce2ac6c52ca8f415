package videopipe.functions.transcode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.Catalog.TranscodeBinding;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.publish.MediaOutputs;
import videopipe.functions.publish.Rendition;

/**
 * {@code transcodeCompleted}: the rule on {@code MediaConvert Job State Change} (COMPLETE, ERROR,
 * CANCELED) invokes it. It answers the task waiting for the job, with the token bound to the item
 * at that moment: SendTaskSuccess with the {@link MediaOutputs} (COMPLETE), SendTaskFailure with
 * error {@code MediaConvert.<errorCode>} (or {@code MediaConvert.CANCELED}) and the job's message.
 *
 * <p>EventBridge invokes it asynchronously and would only retry a throw, so anything that is not an
 * infrastructure error ends as {@link Completion.Ignored} with a reason: a non-final status, an
 * event without our user metadata, a job the item no longer names (a stale job replaced after an
 * error), a token Step Functions no longer waits on.
 */
public final class TranscodeCompleted implements Function<EventBridgeEvent<JobStateChange>, Completion> {

  private static final Logger log = LoggerFactory.getLogger(TranscodeCompleted.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Catalog catalog;
  private final StepFunctionsTaskTokens tokens;

  public TranscodeCompleted(Catalog catalog, SfnClient stepFunctions) {
    this.catalog = catalog;
    this.tokens = new StepFunctionsTaskTokens(stepFunctions);
  }

  @Override
  public Completion apply(EventBridgeEvent<JobStateChange> event) {
    JobStateChange d = event == null ? null : event.detail();
    if (d == null || d.jobId() == null || d.status() == null) {
      return ignored(null, null, "not a MediaConvert job state change (no detail.jobId/status)");
    }
    String videoId = d.userMetadata() == null ? null : d.userMetadata().get("videoId");
    if (videoId == null || videoId.isBlank()) {
      return ignored(null, d.jobId(), "the job carries no videoId in its user metadata: not ours");
    }
    String status = d.status();
    if (status.equals("PROGRESSING") || status.equals("STATUS_UPDATE")) {
      // MediaConvert reports a running job every minute: each report is the task's heartbeat,
      // so a long transcode outlives the state's HeartbeatSeconds while a stuck one does not.
      TranscodeBinding current = catalog.transcodeBinding(videoId).orElse(null);
      if (current == null || !d.jobId().equals(current.jobId())) {
        return stale(videoId, d.jobId(), current);
      }
      return deliver(videoId, d.jobId(), status, tokens.heartbeat(current.taskToken()));
    }
    if (!status.equals("COMPLETE") && !status.equals("ERROR") && !status.equals("CANCELED")) {
      return ignored(videoId, d.jobId(), "status " + status + " is not final");
    }
    if (status.equals("COMPLETE")) {
      TranscodeBinding current = catalog.transcodeBinding(videoId).orElse(null);
      if (current == null || !d.jobId().equals(current.jobId())) {
        return stale(videoId, d.jobId(), current);
      }
      MediaOutputs outputs;
      try {
        outputs = outputs(d, current);
      } catch (IllegalArgumentException e) {
        return ignored(videoId, d.jobId(), "malformed output paths: " + e.getMessage());
      }
      if (outputs.playlistKey() == null) {
        // Not ours to invent: the job ran with other settings than submitTranscode writes.
        return deliver(videoId, d.jobId(), status, tokens.fail(current.taskToken(), "MediaConvert.NoPlaylist",
            "MediaConvert job " + d.jobId() + " completed without an HLS playlist"));
      }
      TranscodeBinding bound = catalog.recordTranscodeOutputs(videoId, d.jobId(), outputs).orElse(null);
      if (bound == null) {
        return stale(videoId, d.jobId(), catalog.transcodeBinding(videoId).orElse(null));
      }
      return deliver(videoId, d.jobId(), status, tokens.succeed(bound.taskToken(), JSON.writeValueAsString(outputs)));
    }
    TranscodeBinding current = catalog.transcodeBinding(videoId).orElse(null);
    if (current == null || !d.jobId().equals(current.jobId())) {
      return stale(videoId, d.jobId(), current);
    }
    String error = status.equals("CANCELED") ? "MediaConvert.CANCELED"
        : "MediaConvert." + (d.errorCode() == null ? "ERROR" : d.errorCode());
    String cause = "MediaConvert job " + d.jobId() + " " + status
        + (d.errorMessage() == null ? "" : ": " + d.errorMessage());
    return deliver(videoId, d.jobId(), status, tokens.fail(current.taskToken(), error, cause));
  }

  /** The outputs, as keys in the media bucket, from the event's paths and the planned renditions. */
  static MediaOutputs outputs(JobStateChange d, TranscodeBinding binding) {
    String bucket = null;
    String playlist = null;
    String mp4 = null;
    String poster = null;
    List<String> variants = new ArrayList<>();
    Map<String, JobStateChange.VideoDetails> shapes = new java.util.HashMap<>();
    for (JobStateChange.OutputGroupDetail g : d.outputGroupDetails() == null
        ? List.<JobStateChange.OutputGroupDetail>of() : d.outputGroupDetails()) {
      if ("HLS_GROUP".equals(g.type()) && g.playlistFilePaths() != null && !g.playlistFilePaths().isEmpty()) {
        S3Path p = S3Path.parse(g.playlistFilePaths().get(0));
        bucket = p.bucket();
        playlist = p.key();
      }
      for (JobStateChange.OutputDetail o : g.outputDetails() == null
          ? List.<JobStateChange.OutputDetail>of() : g.outputDetails()) {
        for (String path : o.outputFilePaths() == null ? List.<String>of() : o.outputFilePaths()) {
          S3Path p = S3Path.parse(path);
          if (bucket == null) {
            bucket = p.bucket();
          }
          if (p.key().endsWith(".m3u8")) {
            variants.add(p.key());
            shapes.put(p.key(), o.videoDetails());
          } else if (p.key().endsWith(".mp4")) {
            mp4 = p.key();
          } else if (p.key().endsWith(".jpg")) {
            poster = p.key();
          }
        }
      }
    }
    List<Rendition> renditions = new ArrayList<>();
    for (Object planned : binding.renditions()) {
      Rendition r = JSON.convertValue(planned, Rendition.class);
      if (!variants.isEmpty() && !variants.contains(r.playlistKey())) {
        continue;
      }
      JobStateChange.VideoDetails v = shapes.get(r.playlistKey());
      renditions.add(v == null || v.widthInPx() == null || v.heightInPx() == null ? r
          : new Rendition(r.name(), v.widthInPx(), v.heightInPx(), r.bitrate(), r.playlistKey()));
    }
    return new MediaOutputs(bucket, playlist, mp4, poster, renditions);
  }

  private Completion deliver(String videoId, String jobId, String status, StepFunctionsTaskTokens.Delivery delivery) {
    if (!delivery.delivered()) {
      return ignored(videoId, jobId, "the task token no longer waits (" + delivery.why() + ")");
    }
    log.info("video {}: job {} {}; the waiting task was answered", videoId, jobId, status);
    return new Completion.Answered(videoId, jobId, status);
  }

  private static Completion stale(String videoId, String jobId, TranscodeBinding current) {
    return ignored(videoId, jobId, current == null ? "no such video in the catalog"
        : current.jobId() == null ? "the video names no transcode job"
        : "stale job: the video now names job " + current.jobId());
  }

  private static Completion ignored(String videoId, String jobId, String why) {
    log.info("video {}: job {} ignored: {}", videoId, jobId, why);
    return new Completion.Ignored(videoId, jobId, why);
  }

  /** An {@code s3://bucket/key} path as MediaConvert reports it. */
  record S3Path(String bucket, String key) {
    static S3Path parse(String path) {
      if (path == null || !path.startsWith("s3://") || path.indexOf('/', 5) < 0) {
        throw new IllegalArgumentException("not an s3:// path: " + path);
      }
      int slash = path.indexOf('/', 5);
      return new S3Path(path.substring(5, slash), path.substring(slash + 1));
    }
  }
}
