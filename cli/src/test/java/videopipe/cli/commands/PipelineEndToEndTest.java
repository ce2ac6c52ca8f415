package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import tools.jackson.databind.JsonNode;
import videopipe.cli.local.LocalStack;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.statemachines.StateMachineDefinitions;

/**
 * The whole pipeline through the front door, as issue 8 lists it: the API and presigned URLs (the
 * {@code videopipe upload} command), S3's own event starting video-ingest through the edge, the
 * functions jar in the local Lambda, the local MediaConvert really transcoding; and its faults,
 * injected with the local Lambda's switch: a transient one retried to READY, a permanent one FAILED
 * in the catalog (through the execution status event and {@code recordFailure}) and redriven to
 * READY once cleared, a duplicate S3 event costing nothing, a disguised executable rejected.
 */
class PipelineEndToEndTest {

  static final Duration TERMINAL = Duration.ofMinutes(3);

  @TempDir
  static Path dir;
  static Path home;
  static LocalStack stack;
  static PublishedStack published;
  static Path clip;
  static DynamoDbClient dynamo;
  static final List<JsonNode> uploadEvents = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    published = PublishedStack.start("pipe", dir);
    stack = published.stack();
    home = published.home();
    clip = published.clip();
    dynamo = DynamoDbClient.builder().endpointOverride(stack.edgeEndpoint()).region(Region.of(stack.region()))
        .credentialsProvider(stack.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build();
    stack.eventBridge().subscribe("default",
        StateMachineDefinitions.pattern("upload-object-created", Map.of("MediaBucket", stack.bucket())),
        event -> uploadEvents.add(LocalStack.JSON.readTree(event)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (dynamo != null) {
      dynamo.close();
    }
    if (published != null) {
      published.close();
    }
  }

  @AfterEach
  void clearFaults() {
    stack.lambda().faults().clearAll();
  }

  static Cli cli(String... argv) {
    return Cli.run(home, argv);
  }

  @Test
  void anUploadThroughTheApiReachesReadyWithPlayableHls() throws Exception {
    Cli upload = cli("upload", clip.toString(), "--user", "erin", "--wait");
    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.firstLine();

    JsonNode video = record(videoId, "erin");
    assertThat(video.path("status").asString()).isEqualTo("READY");
    String playlistUrl = video.path("media").path("playlistUrl").asString();
    HttpResponse<String> master = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(playlistUrl)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(master.statusCode()).as("the presigned playlist URL").isEqualTo(200);
    assertThat(master.body()).startsWith("#EXTM3U").contains("#EXT-X-STREAM-INF");

    // Every rendition plays: fetch the video's media as stored and let ffprobe read each playlist.
    Path media = Files.createDirectories(dir.resolve("media-" + videoId));
    for (S3Object o : stack.s3Client().listObjectsV2Paginator(b -> b.bucket(stack.bucket()).prefix("media/" + videoId + "/"))
        .contents()) {
      Path local = media.resolve(o.key().substring(("media/" + videoId + "/").length()));
      Files.createDirectories(local.getParent());
      Files.write(local, stack.s3Client().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(o.key())).asByteArray());
    }
    String masterKey = URLDecoder.decode(URI.create(playlistUrl).getPath(), StandardCharsets.UTF_8)
        .substring(("/" + stack.bucket() + "/media/" + videoId + "/").length());
    List<String> variants = master.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(variants).isNotEmpty();
    Path masterFile = media.resolve(masterKey);
    for (String variant : variants) {
      Path playlist = masterFile.resolveSibling(variant);
      String duration = Ffmpeg.get().probe(List.of("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
          playlist.toString()), 60, TimeUnit.SECONDS).strip();
      assertThat(Double.parseDouble(duration)).as("%s plays for the clip's length (1 s)", variant).isBetween(0.9, 1.2);
    }
  }

  @Test
  void aDisguisedExecutableIsRejectedWithItsReason() throws Exception {
    Path executable = Files.write(dir.resolve("holiday.mp4"), Files.readAllBytes(Path.of("/bin/true")));

    Cli upload = cli("upload", executable.toString(), "--user", "erin", "--wait");

    assertThat(upload.code()).as(upload.toString()).isEqualTo(1);
    assertThat(upload.err()).containsPattern("videopipe: video \\S+ REJECTED: [A-Z_]+: .+");
    assertThat(item(upload.firstLine()).get("status").s()).isEqualTo("REJECTED");
  }

  @Test
  void aDuplicateS3EventCostsOneExecutionsWorthOfProcessing() throws Exception {
    Cli upload = cli("upload", clip.toString(), "--user", "finn", "--wait");
    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.firstLine();
    String key = "uploads/finn/" + videoId + "/source";
    JsonNode original = uploadEvents.stream().filter(e -> e.path("detail").path("object").path("key").asString().equals(key))
        .findFirst().orElseThrow();
    Map<String, AttributeValue> before = item(videoId);
    List<String> executionsBefore = executionsFor(key);
    assertThat(executionsBefore).hasSize(1);

    // S3 delivers events at least once: the very same event again.
    stack.eventBridge().putEvent("default", "aws.s3", "Object Created",
        List.of("arn:aws:s3:::" + stack.bucket()), LocalStack.JSON.writeValueAsString(original.path("detail")));

    String second = await("a second execution for the duplicate event", () -> {
      List<String> now = executionsFor(key);
      return now.size() == 2 ? now.stream().filter(a -> !executionsBefore.contains(a)).findFirst().orElse(null) : null;
    });
    ExecutionStatus status = await("the duplicate's execution to end", () -> {
      ExecutionStatus s = stack.sfnClient().describeExecution(b -> b.executionArn(second)).status();
      return s == ExecutionStatus.RUNNING ? null : s;
    });
    assertThat(status).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(statesEntered(second)).as("the duplicate stops at validation").doesNotContain("ExtractMetadata")
        .contains("Validate");
    assertThat(item(videoId)).as("the catalog item is untouched").isEqualTo(before);
    assertThat(transcodeJobsFor(videoId)).as("one MediaConvert job").isEqualTo(1);
  }

  @Test
  void aTransientFaultIsRetriedToReady() throws Exception {
    stack.lambda().faults().failNext("extractMetadata", 2, "videopipe.functions.TransientFailure", "injected: S3 is slow");

    Cli upload = cli("upload", clip.toString(), "--user", "gail", "--wait");

    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.firstLine();
    String execution = executionsFor("uploads/gail/" + videoId + "/source").get(0);
    List<HistoryEvent> history = history(execution);
    assertThat(history.stream().filter(e -> e.typeAsString().equals("TaskFailed")))
        .extracting(e -> e.taskFailedEventDetails().error())
        .containsExactly("videopipe.functions.TransientFailure", "videopipe.functions.TransientFailure");
    assertThat(statesEntered(execution).stream().filter("ExtractMetadata"::equals)).hasSize(1);
  }

  @Test
  void aPermanentFaultFailsInTheCatalogAndARedriveAfterTheFixReachesReady() throws Exception {
    stack.lambda().faults().failUntilCleared("publishVideo", "java.lang.IllegalStateException",
        "injected: the catalog refused the write");

    Cli upload = cli("upload", clip.toString(), "--user", "hugo");
    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.lastLine();
    String execution = await("the execution", () -> {
      List<String> arns = executionsFor("uploads/hugo/" + videoId + "/source");
      return arns.isEmpty() ? null : arns.get(0);
    });

    Map<String, AttributeValue> failed = await("the catalog to say FAILED", () -> {
      Map<String, AttributeValue> item = item(videoId);
      return item.get("status").s().equals("FAILED") ? item : null;
    });
    assertThat(failed.get("claimedBy").s()).as("the failed execution, for the operator").isEqualTo(execution);
    assertThat(failed.get("error").s()).isEqualTo("java.lang.IllegalStateException");
    Cli listed = cli("executions", "--status", "FAILED");
    assertThat(listed.out()).contains(execution);
    JsonNode asSeen = record(videoId, "hugo");
    assertThat(asSeen.path("status").asString()).isEqualTo("FAILED");

    stack.lambda().faults().clear("publishVideo");
    Cli redrive = cli("redrive", execution);
    assertThat(redrive.code()).as(redrive.toString()).isZero();

    await("READY after the redrive", () -> item(videoId).get("status").s().equals("READY") ? true : null);
    // publishVideo writes READY a moment before the execution records its end.
    await("the redriven execution to succeed", () -> stack.sfnClient().describeExecution(b -> b.executionArn(execution))
        .status() == ExecutionStatus.SUCCEEDED ? true : null);
    List<String> entered = statesEntered(execution);
    assertThat(entered.stream().filter("Publish"::equals)).as("the failed state ran once more").hasSize(2);
    assertThat(entered.stream().filter("Validate"::equals)).as("nothing before it re-ran").hasSize(1);
    assertThat(entered.stream().filter("SubmitTranscode"::equals)).hasSize(1);
    assertThat(transcodeJobsFor(videoId)).as("no second transcode").isEqualTo(1);
    assertThat(record(videoId, "hugo").path("media").path("playlistUrl").asString()).isNotBlank();
  }

  // --- helpers -------------------------------------------------------------------------------------

  static JsonNode record(String videoId, String user) {
    Cli record = cli("videos", videoId, "--user", user);
    assertThat(record.code()).as(record.toString()).isZero();
    return LocalStack.JSON.readTree(record.out());
  }

  static Map<String, AttributeValue> item(String videoId) {
    return dynamo.getItem(b -> b.tableName(stack.tableName()).consistentRead(true)
        .key(Map.of("videoId", AttributeValue.fromS(videoId)))).item();
  }

  /** The executions of video-ingest whose input is S3's event for {@code key}, oldest first. */
  static List<String> executionsFor(String key) {
    return executionsFor(stack, key);
  }

  static List<String> executionsFor(LocalStack stack, String key) {
    List<ExecutionListItem> all = new ArrayList<>();
    stack.sfnClient().listExecutionsPaginator(b -> b.stateMachineArn(stack.stateMachineArn())).executions().forEach(all::add);
    return all.stream().sorted((a, b) -> a.startDate().compareTo(b.startDate()))
        .map(ExecutionListItem::executionArn)
        .filter(arn -> LocalStack.JSON.readTree(stack.sfnClient().describeExecution(b -> b.executionArn(arn)).input())
            .path("detail").path("object").path("key").asString().equals(key))
        .toList();
  }

  static List<HistoryEvent> history(String execution) {
    return history(stack, execution);
  }

  static List<HistoryEvent> history(LocalStack stack, String execution) {
    List<HistoryEvent> events = new ArrayList<>();
    stack.sfnClient().getExecutionHistoryPaginator(b -> b.executionArn(execution)).events().forEach(events::add);
    return events;
  }

  static List<String> statesEntered(String execution) {
    return history(execution).stream().filter(e -> e.stateEnteredEventDetails() != null)
        .map(e -> e.stateEnteredEventDetails().name()).toList();
  }

  /** How many MediaConvert jobs the video has. */
  static int transcodeJobsFor(String videoId) throws Exception {
    return transcodeJobsFor(stack, videoId).size();
  }

  /** MediaConvert's jobs for the video, through its REST API on the edge (ListJobs). */
  static List<JsonNode> transcodeJobsFor(LocalStack stack, String videoId) throws Exception {
    HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        stack.edgeEndpoint().resolve("/2017-08-29/jobs?maxResults=20")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(jobs.statusCode()).as(jobs.body()).isEqualTo(200);
    List<JsonNode> mine = new ArrayList<>();
    for (JsonNode job : LocalStack.JSON.readTree(jobs.body()).path("jobs")) {
      if (videoId.equals(job.path("userMetadata").path("videoId").asString(null))) {
        mine.add(job);
      }
    }
    return mine;
  }

  static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(TERMINAL);
    while (Instant.now().isBefore(deadline)) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
