package videopipe.localstack.mediaconvert;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** One job and its mutable state; every read and transition holds the job's lock. */
final class Job {

  enum Status { SUBMITTED, PROGRESSING, COMPLETE, CANCELED, ERROR }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  final String id;
  final String arn;
  final String queueArn;
  final String role;
  final long createdAtMillis;
  final JsonNode request;
  final Map<String, String> userMetadata;

  private Status status = Status.SUBMITTED;
  private Integer percent;
  private String phase;
  private Long startMillis;
  private Long finishMillis;
  private Integer errorCode;
  private String errorMessage;
  /** The event's outputGroupDetails (with file paths), set on COMPLETE only. */
  private ArrayNode outputGroupDetails;
  private Process process;
  private boolean cancelRequested;

  Job(String id, String arn, String queueArn, String role, long createdAtMillis, JsonNode request,
      Map<String, String> userMetadata) {
    this.id = id;
    this.arn = arn;
    this.queueArn = queueArn;
    this.role = role;
    this.createdAtMillis = createdAtMillis;
    this.request = request;
    this.userMetadata = Map.copyOf(userMetadata);
  }

  synchronized Status status() {
    return status;
  }

  synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  /** SUBMITTED → PROGRESSING; false when the job was cancelled while queued. */
  synchronized boolean start(long now) {
    if (status != Status.SUBMITTED) {
      return false;
    }
    status = Status.PROGRESSING;
    startMillis = now;
    percent = 0;
    phase = "PROBING";
    return true;
  }

  synchronized void progress(String phase, int percent) {
    if (status == Status.PROGRESSING) {
      this.phase = phase;
      this.percent = Math.max(this.percent == null ? 0 : this.percent, Math.min(99, percent));
    }
  }

  /** Registers the running ffmpeg; false (and the process killed) when a cancel came first. */
  synchronized boolean attach(Process p) {
    if (cancelRequested) {
      p.destroyForcibly();
      return false;
    }
    process = p;
    return true;
  }

  synchronized void detach() {
    process = null;
  }

  /** Asks to cancel; true when the job was still cancellable. A queued job is cancelled at once. */
  synchronized boolean requestCancel(long now) {
    if (status != Status.SUBMITTED && status != Status.PROGRESSING) {
      return false;
    }
    cancelRequested = true;
    if (process != null) {
      process.destroyForcibly();
    }
    if (status == Status.SUBMITTED) {
      finish(Status.CANCELED, now);
    }
    return true;
  }

  synchronized boolean complete(ArrayNode details, long now) {
    if (status != Status.PROGRESSING || cancelRequested) {
      return false;
    }
    outputGroupDetails = details;
    percent = 100;
    finish(Status.COMPLETE, now);
    return true;
  }

  synchronized void fail(int code, String message, long now) {
    errorCode = code;
    errorMessage = message;
    finish(Status.ERROR, now);
  }

  synchronized void canceled(long now) {
    finish(Status.CANCELED, now);
  }

  private void finish(Status s, long now) {
    status = s;
    finishMillis = now;
    phase = null;
    if (s != Status.COMPLETE) {
      percent = null;
    }
  }

  /** The job as the API's {@code Job} shape. */
  synchronized ObjectNode toJson() {
    ObjectNode j = JSON.createObjectNode();
    j.put("arn", arn);
    j.put("id", id);
    j.put("createdAt", createdAtMillis / 1000);
    j.put("status", status.name());
    j.put("queue", queueArn);
    j.put("role", role);
    j.set("settings", request.path("settings").deepCopy());
    ObjectNode meta = j.putObject("userMetadata");
    userMetadata.forEach(meta::put);
    j.put("priority", request.path("priority").asInt(0));
    j.put("statusUpdateInterval", request.path("statusUpdateInterval").asString("SECONDS_60"));
    j.put("billingTagsSource", request.path("billingTagsSource").asString("JOB"));
    j.put("accelerationStatus", "NOT_APPLICABLE");
    j.put("retryCount", 0);
    j.put("jobEngineVersionUsed", "local-ffmpeg");
    if (percent != null && status == Status.PROGRESSING) {
      j.put("jobPercentComplete", percent);
    }
    if (phase != null) {
      j.put("currentPhase", phase);
    }
    ObjectNode timing = j.putObject("timing");
    timing.put("submitTime", createdAtMillis / 1000);
    if (startMillis != null) {
      timing.put("startTime", startMillis / 1000);
    }
    if (finishMillis != null) {
      timing.put("finishTime", finishMillis / 1000);
    }
    if (errorCode != null) {
      j.put("errorCode", errorCode);
      j.put("errorMessage", errorMessage);
    }
    if (outputGroupDetails != null) {
      // The API's OutputGroupDetail holds durations and sizes; file paths are the event's only.
      ArrayNode groups = j.putArray("outputGroupDetails");
      for (JsonNode g : outputGroupDetails) {
        ArrayNode outs = groups.addObject().putArray("outputDetails");
        for (JsonNode o : g.path("outputDetails")) {
          ObjectNode d = outs.addObject();
          if (o.has("durationInMs")) {
            d.put("durationInMs", o.get("durationInMs").asInt());
          }
          d.set("videoDetails", o.path("videoDetails").deepCopy());
        }
      }
    }
    return j;
  }

  /** The detail of a {@code MediaConvert Job State Change} event for the current status. */
  synchronized ObjectNode eventDetail(String accountId, long now) {
    ObjectNode d = JSON.createObjectNode();
    d.put("timestamp", now);
    d.put("accountId", accountId);
    d.put("queue", queueArn);
    d.put("jobId", id);
    d.put("status", status.name());
    ObjectNode meta = d.putObject("userMetadata");
    userMetadata.forEach(meta::put);
    if (status == Status.COMPLETE) {
      d.set("outputGroupDetails", outputGroupDetails.deepCopy());
    }
    if (status == Status.ERROR) {
      d.put("errorCode", errorCode);
      d.put("errorMessage", errorMessage);
    }
    return d;
  }
}
