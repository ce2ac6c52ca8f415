package videopipe.localstack.mediaconvert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One job and its mutable state; every read and transition holds the job's lock. With a data
 * directory it is saved as {@link #stored()} and read back by {@link #restore}.
 */
final class Job {

  enum Status { SUBMITTED, PROGRESSING, COMPLETE, CANCELED, ERROR }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** The ids this emulator gives ({@code <millis>-<6 letters>}): a stored id names its file, so no other is read back. */
  private static final Pattern ID = Pattern.compile("[0-9]{1,19}-[a-z0-9]{1,32}");
  private static final int STORED_FORMAT = 1;

  final String id;
  /** The order of creation, which ids do not give within one millisecond: restarted jobs run again in it. */
  final long sequence;
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

  Job(String id, long sequence, String arn, String queueArn, String role, long createdAtMillis, JsonNode request,
      Map<String, String> userMetadata) {
    this.id = id;
    this.sequence = sequence;
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

  /** Sets the phase and percent; true when the phase changed (what is worth saving: percent ticks are not). */
  synchronized boolean progress(String phase, int percent) {
    if (status != Status.PROGRESSING) {
      return false;
    }
    boolean changed = !phase.equals(this.phase);
    this.phase = phase;
    this.percent = Math.max(this.percent == null ? 0 : this.percent, Math.min(99, percent));
    return changed;
  }

  /**
   * A job read back as SUBMITTED or PROGRESSING was stopped with the stack: it is SUBMITTED again,
   * to run from the start (ffmpeg's run is deterministic, and its outputs overwrite what the
   * interrupted run wrote); true. Unless a cancel was asked before the stop: then it ends
   * CANCELED, as the run it interrupted would have ended it; false.
   */
  synchronized boolean resubmit(long now) {
    if (cancelRequested) {
      finish(Status.CANCELED, now);
      return false;
    }
    status = Status.SUBMITTED;
    startMillis = null;
    percent = null;
    phase = null;
    return true;
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

  /**
   * Everything needed to answer for the job after a restart: the request as received (its settings,
   * its client request token), the user metadata, and where the job got to.
   */
  synchronized ObjectNode stored() {
    ObjectNode j = JSON.createObjectNode();
    j.put("format", STORED_FORMAT);
    j.put("id", id);
    j.put("sequence", sequence);
    j.put("arn", arn);
    j.put("queue", queueArn);
    j.put("role", role);
    j.put("createdAtMillis", createdAtMillis);
    j.set("request", request.deepCopy());
    ObjectNode meta = j.putObject("userMetadata");
    userMetadata.forEach(meta::put);
    j.put("status", status.name());
    j.put("percent", percent);
    j.put("phase", phase);
    j.put("startMillis", startMillis);
    j.put("finishMillis", finishMillis);
    j.put("errorCode", errorCode);
    j.put("errorMessage", errorMessage);
    j.put("cancelRequested", cancelRequested);
    if (outputGroupDetails != null) {
      j.set("outputGroupDetails", outputGroupDetails.deepCopy());
    }
    return j;
  }

  /** The job {@link #stored()} saved; throws naming what is missing or wrong when {@code j} is not one. */
  static Job restore(JsonNode j) {
    if (!j.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (j.path("format").asInt(0) != STORED_FORMAT) {
      throw new IllegalArgumentException("format " + j.path("format") + ", expected " + STORED_FORMAT);
    }
    String id = text(j, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id " + id + " is not a MediaConvert job id");
    }
    JsonNode request = j.path("request");
    if (!request.isObject() || !request.path("settings").isObject()) {
      throw new IllegalArgumentException("request is not a CreateJob request with settings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (!j.path("userMetadata").isObject()) {
      throw new IllegalArgumentException("userMetadata is not an object");
    }
    j.path("userMetadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asString()));
    Job job = new Job(id, number(j, "sequence"), text(j, "arn"), text(j, "queue"), text(j, "role"),
        number(j, "createdAtMillis"), request, metadata);
    try {
      job.status = Status.valueOf(text(j, "status"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("status " + j.path("status") + " is not a job status");
    }
    job.percent = j.path("percent").isIntegralNumber() ? j.path("percent").asInt() : null;
    job.phase = j.path("phase").isString() ? j.path("phase").asString() : null;
    job.startMillis = j.path("startMillis").isIntegralNumber() ? j.path("startMillis").asLong() : null;
    job.finishMillis = j.path("finishMillis").isIntegralNumber() ? j.path("finishMillis").asLong() : null;
    job.errorCode = j.path("errorCode").isIntegralNumber() ? j.path("errorCode").asInt() : null;
    job.errorMessage = j.path("errorMessage").isString() ? j.path("errorMessage").asString() : null;
    job.cancelRequested = j.path("cancelRequested").asBoolean(false);
    if (job.status == Status.ERROR && (job.errorCode == null || job.errorMessage == null)) {
      throw new IllegalArgumentException("an ERROR job without errorCode and errorMessage");
    }
    if (job.status == Status.COMPLETE) {
      if (!j.path("outputGroupDetails").isArray()) {
        throw new IllegalArgumentException("a COMPLETE job without outputGroupDetails");
      }
      job.outputGroupDetails = (ArrayNode) j.get("outputGroupDetails");
    }
    return job;
  }

  private static String text(JsonNode j, String field) {
    if (!j.path(field).isString() || j.path(field).asString().isEmpty()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return j.path(field).asString();
  }

  private static long number(JsonNode j, String field) {
    if (!j.path(field).isIntegralNumber()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return j.path(field).asLong();
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
