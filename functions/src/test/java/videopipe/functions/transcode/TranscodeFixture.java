package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.mediaconvert.model.Job;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * submitTranscode and transcodeCompleted on real parts: a catalog on dynalite, the local
 * MediaConvert (really transcoding, reached by the SDK's default chain through
 * {@code aws.endpointUrlMediaConvert}) and real task tokens from the local Step Functions
 * (reached through {@code aws.endpointUrlSfn}).
 *
 * <p>The state machine is video-ingest's transcode in small: a {@code Claim} task (standing for
 * validate + extract: it makes the item PROCESSING for the execution) then {@code SubmitTranscode},
 * {@code .waitForTaskToken}, with video-ingest's Retry on {@code Lambda.ServiceException}. Its
 * functions are routed in-process: the claim, and the real submitTranscode bean. The only thing
 * injected is at that seam, which we own: {@link #loseResponses} makes an invocation report
 * {@code Lambda.ServiceException} AFTER the bean did its work (a response lost on the way back, a
 * Lambda timeout after CreateJob), which is how a retry or a redrive brings a NEW token to a video
 * whose job already runs.
 *
 * <p>MediaConvert's state-change events are taken off the default bus (this class's stack only) and
 * handed to transcodeCompleted by the tests, so that each test decides when the job's completion
 * is seen, as EventBridge's delivery may come at any time.
 */
final class TranscodeFixture implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<EventBridgeEvent<JobStateChange>> JOB_STATE_CHANGE = new TypeReference<>() {};
  static final Duration WAIT = Duration.ofSeconds(120);

  final LocalAws aws;
  final Catalog catalog;
  final MediaConvertClient mediaConvert = MediaConvertClient.create();
  final SfnClient sfn = SfnClient.create();
  final JobRequests.Target target;
  final SubmitTranscode submit;
  final TranscodeCompleted completed;
  final String stateMachineArn;

  private final Map<String, BlockingQueue<EventBridgeEvent<JobStateChange>>> events = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<String>> tokens = new ConcurrentHashMap<>();
  private final Map<String, List<Submission>> submissions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> lostResponses = new ConcurrentHashMap<>();
  private final List<AutoCloseable> routes = new ArrayList<>();

  TranscodeFixture(LocalAws aws) {
    this.aws = aws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    // The stack name is this class's table name: the rule below takes only this class's jobs.
    target = new JobRequests.Target("arn:aws:iam::000000000000:role/mediaconvert", null, aws.bucket(),
        aws.tableName());
    submit = new SubmitTranscode(catalog, mediaConvert, sfn, Ladder.DEFAULT, target);
    completed = new TranscodeCompleted(catalog, sfn);
    routes.add(aws.eventBridge().subscribe("default", "{\"source\":[\"aws.mediaconvert\"],"
        + "\"detail\":{\"userMetadata\":{\"videopipeStack\":[\"" + aws.tableName() + "\"]}}}", json -> {
          EventBridgeEvent<JobStateChange> e = JSON.readValue(json, JOB_STATE_CHANGE);
          events.computeIfAbsent(e.detail().jobId(), k -> new LinkedBlockingQueue<>()).add(e);
        }));
    String claimFunction = aws.tableName() + "-claim";
    String submitFunction = aws.tableName() + "-submitTranscode";
    routes.add(aws.stepFunctions().function(claimFunction, TaskInvoker.of(call -> {
      Map<?, ?> in = (Map<?, ?>) call.payload();
      String videoId = (String) in.get("videoId");
      String execution = (String) in.get("executionArn");
      String key = (String) in.get("key");
      catalog.create(new NewVideo(videoId, "alice", "a.mp4", "video/mp4", 100));
      catalog.claim(videoId, "alice", new ObjectIdentity(key, "e", "s", 100), execution);
      catalog.accept(videoId, execution, "MP4", 100);
      return in;
    })));
    routes.add(aws.stepFunctions().function(submitFunction, TaskInvoker.of(call -> {
      TranscodeRequest r = JSON.convertValue(call.payload(), TranscodeRequest.class);
      Submission s;
      try {
        s = submit.apply(r);
      } catch (RuntimeException e) {
        throw new TaskInvoker.TaskFailure(e.getClass().getName(), String.valueOf(e.getMessage()));
      }
      // The submission first: a test that sees the token sees what the bean did with it.
      submissions.computeIfAbsent(r.videoId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(s);
      tokens.computeIfAbsent(r.videoId(), k -> new LinkedBlockingQueue<>()).add(r.taskToken());
      AtomicInteger lose = lostResponses.get(r.videoId());
      if (lose != null && lose.getAndDecrement() > 0) {
        throw new TaskInvoker.TaskFailure("Lambda.ServiceException",
            "the response was lost after submitTranscode ran (injected by the test)");
      }
      return JSON.convertValue(s, Map.class);
    })));
    String definition = """
        {
          "QueryLanguage": "JSONata",
          "StartAt": "Claim",
          "States": {
            "Claim": {
              "Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "%s",
                "Payload": "{%% $merge([$states.input, {'executionArn': $states.context.Execution.Id}]) %%}"},
              "Output": "{%% $states.input %%}",
              "Next": "SubmitTranscode"
            },
            "SubmitTranscode": {
              "Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Arguments": {"FunctionName": "%s",
                "Payload": "{%% $merge([$states.input, {'executionArn': $states.context.Execution.Id, 'taskToken': $states.context.Task.Token}]) %%}"},
              "TimeoutSeconds": 600,
              "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 1, "MaxAttempts": 1}],
              "End": true
            }
          }
        }""".formatted(claimFunction, submitFunction);
    stateMachineArn = sfn.createStateMachine(b -> b.name(aws.tableName() + "-transcode").definition(definition)
        .roleArn("arn:aws:iam::000000000000:role/sfn")).stateMachineArn();
  }

  /** The next {@code n} invocations of submitTranscode for this video report a lost response. */
  void loseResponses(String videoId, int n) {
    lostResponses.put(videoId, new AtomicInteger(n));
  }

  /** A new video whose source (this clip, or these bytes) is in the bucket. */
  Video upload(byte[] source) {
    String videoId = Uploads.newVideoId();
    String key = "uploads/alice/" + videoId + "/source";
    aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(source));
    return new Video(videoId, key);
  }

  Video upload(Clip clip) {
    return upload(clip.bytes());
  }

  static VideoMetadata metadata(Clip clip) {
    return new VideoProbe().probe(CountingByteSource.of(clip.bytes()), clip.container());
  }

  /** Starts an execution for the video; returns its ARN. */
  String start(Video v, VideoMetadata metadata) {
    String input = JSON.writeValueAsString(Map.of("videoId", v.id(), "bucket", aws.bucket(), "key", v.key(),
        "metadata", metadata));
    return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).input(input)).executionArn();
  }

  /**
   * The {@code n}th task token (1-based) submitTranscode handled for the video, waiting until that
   * invocation returned; {@link #submissions} then holds what it did.
   */
  String token(String videoId, int n) throws InterruptedException {
    BlockingQueue<String> q = tokens.computeIfAbsent(videoId, k -> new LinkedBlockingQueue<>());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (q.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(q.size()).as("task tokens submitTranscode received for " + videoId).isGreaterThanOrEqualTo(n);
    return new ArrayList<>(q).get(n - 1);
  }

  /** What each invocation of submitTranscode for the video returned, in order. */
  List<Submission> submissions(String videoId) {
    return List.copyOf(submissions.getOrDefault(videoId, List.of()));
  }

  /** The next state-change event of the job with a final status (or {@code status}), waiting for it. */
  EventBridgeEvent<JobStateChange> event(String jobId, String status) throws InterruptedException {
    BlockingQueue<EventBridgeEvent<JobStateChange>> q = events.computeIfAbsent(jobId, k -> new LinkedBlockingQueue<>());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      EventBridgeEvent<JobStateChange> e = q.poll(1, TimeUnit.SECONDS);
      if (e != null && e.detail().status().equals(status)) {
        return e;
      }
    }
    throw new AssertionError("no " + status + " event for job " + jobId + " within " + WAIT);
  }

  /** Waits until the execution leaves RUNNING. */
  DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("execution " + executionArn + " still RUNNING after " + WAIT);
  }

  /** Every job MediaConvert holds for this video (ListJobs, all pages). */
  List<Job> jobsOf(String videoId) {
    List<Job> jobs = new ArrayList<>();
    mediaConvert.listJobsPaginator(b -> b.maxResults(20)).jobs().forEach(j -> {
      if (videoId.equals(j.userMetadata().get("videoId"))) {
        jobs.add(j);
      }
    });
    return jobs;
  }

  /** A video PROCESSING for {@code execution}, as extractMetadata leaves it, with no execution behind it. */
  String processing(String execution) {
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("uploads/alice/" + id + "/source", "e", "s", 100), execution);
    catalog.accept(id, execution, "MP4", 100);
    return id;
  }

  TranscodeRequest request(String videoId, String execution, String token) {
    return new TranscodeRequest(videoId, execution, aws.bucket(), "uploads/alice/" + videoId + "/source",
        new VideoMetadata(videopipe.functions.metadata.Container.MP4, 12, 1280, 720, 0, 30, "h264", "aac",
            2_000_000, 1), token);
  }

  /** A state-change event as MediaConvert puts it on the bus, for statuses a test sets itself. */
  static EventBridgeEvent<JobStateChange> event(String jobId, String videoId, String status, Integer errorCode,
      String message, List<JobStateChange.OutputGroupDetail> groups) {
    return new EventBridgeEvent<>("0", "e-1", JobStateChange.DETAIL_TYPE, JobStateChange.SOURCE,
        "000000000000", "2026-11-24T12:00:00Z", "us-east-1", List.of("arn:aws:mediaconvert:us-east-1::jobs/" + jobId),
        new JobStateChange(1L, "000000000000", "queues/Default", jobId, status, errorCode, message,
            videoId == null ? Map.of() : Map.of("videoId", videoId, "executionArn", "x"), groups));
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable r : routes) {
      r.close();
    }
    mediaConvert.close();
    sfn.close();
  }

  record Video(String id, String key) {}
}
