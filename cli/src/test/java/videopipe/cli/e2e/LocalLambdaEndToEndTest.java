package videopipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.cli.local.LocalStack;
import videopipe.localstack.lambda.LocalLambda;

/**
 * The real functions jar in the local Lambda, end to end: a creator asks for an upload through the
 * HTTP API gateway (createUpload, run by the local Lambda), PUTs a real clip, and validateUpload
 * gets the {@code Object Created} event S3 itself emitted for that write through the Lambda Invoke
 * API, with the
 * AWS SDK's own {@code LambdaClient}, against S3Proxy and dynalite; all of it in the CLI's
 * {@link LocalStack}, the assembly {@code videopipe local up} and {@code videopipe demo} start.
 */
class LocalLambdaEndToEndTest {

  static final JsonMapper JSON = LocalStack.JSON;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** A bucket with S3's events on and no rule for them (see {@link #upload}). */
  private static final String SIDE_BUCKET = "e2e-invoke-uploads";
  private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host", "expect", "connection");

  @TempDir
  static Path dir;
  static LocalStack stack;
  static LocalLambda lambda;
  static LambdaClient client;
  static byte[] clip;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.of(FunctionsJar.path()).withStackName("e2e"));
    lambda = stack.lambda();
    client = LambdaClient.builder().endpointOverride(stack.lambdaServer().endpoint()).region(Region.of(stack.region()))
        .credentialsProvider(stack.credentialsProvider()).build();
    clip = Clips.mp4(dir);
    stack.s3Client().createBucket(b -> b.bucket(SIDE_BUCKET));
    stack.s3Client().putBucketNotificationConfiguration(b -> b.bucket(SIDE_BUCKET)
        .notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  static JsonNode invoke(String function, Object event) {
    InvokeResponse r = client.invoke(b -> b.functionName(function)
        .payload(SdkBytes.fromByteArray(JSON.writeValueAsBytes(event))));
    assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
    return JSON.readTree(r.payload().asUtf8String());
  }

  static String executionArn() {
    return "arn:aws:states:" + stack.region() + ":000000000000:execution:video-ingest:" + UUID.randomUUID();
  }

  @Test
  void validatesARealUploadThroughTheInvokeApi() throws Exception {
    ObjectNode event = upload("alice", clip);

    JsonNode validation = invoke("validateUpload", Map.of("event", event, "executionArn", executionArn()));

    assertThat(validation.path("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(validation.path("container").asString()).isEqualTo("MP4");
    assertThat(validation.path("bytes").asLong()).isEqualTo(clip.length);
  }

  @Test
  void answersAFunctionsExceptionAsAnUnhandledError() {
    InvokeResponse r = client.invoke(b -> b.functionName("publishVideo").payload(SdkBytes.fromUtf8String(
        "{\"videoId\":\"vDoesNotExist00\",\"executionArn\":\"e\",\"outputs\":{\"playlistKey\":\"p\"}}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.functionError()).isEqualTo("Unhandled");
    JsonNode error = JSON.readTree(r.payload().asUtf8String());
    assertThat(error.path("errorType").asString()).isNotBlank();
    assertThat(error.path("errorMessage").asString()).contains("vDoesNotExist00");
    assertThat(error.path("stackTrace").isArray()).isTrue();
  }

  @Test
  void runsOneBeanTwiceWithTwoEnvironmentsInOneJvm() throws Exception {
    String otherTable = "e2e-other-catalog";
    lambda.deploy("validateUploadElsewhere", lambda.manifest().function("validateUpload"),
        Map.of("CATALOG_TABLE", otherTable, "EVENT_BUS_NAME", "unused", "S3_FORCE_PATH_STYLE", "true"));
    ObjectNode event = upload("bob", clip);

    InvokeResponse elsewhere = client.invoke(b -> b.functionName("validateUploadElsewhere")
        .payload(SdkBytes.fromByteArray(JSON.writeValueAsBytes(Map.of("event", event, "executionArn", executionArn())))));
    JsonNode here = invoke("validateUpload", Map.of("event", event, "executionArn", executionArn()));

    // The other function's table does not exist: it fails, while the first one, warm in the same
    // JVM, still reads its own table.
    assertThat(elsewhere.functionError()).as(elsewhere.payload().asUtf8String()).isEqualTo("Unhandled");
    assertThat(elsewhere.payload().asUtf8String()).containsIgnoringCase("ResourceNotFound");
    assertThat(here.path("outcome").asString()).isEqualTo("ACCEPTED");
  }

  /**
   * The whole ingest on the local stack, started by the upload alone: the presigned PUT, S3's
   * Object Created event on the default bus (the media bucket's EventBridge notifications on), the upload
   * rule (the deployed pattern) starting video-ingest (from statemachines/, the loader Pulumi
   * uses), its Tasks run by the local Lambda, MediaConvert's Job State Change routed by the
   * deployed rule's pattern to transcodeCompleted, which answers the task token: READY.
   */
  @Test
  void runsVideoIngestFromUploadToReady() throws Exception {
    String key = createAndPut("carol", clip);

    String execution = stack.executionFor(key).get(60, TimeUnit.SECONDS);
    software.amazon.awssdk.services.sfn.SfnClient sfn = stack.sfnClient();
    software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse d;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    do {
      Thread.sleep(100);
      d = sfn.describeExecution(b -> b.executionArn(execution));
    } while (d.status() == software.amazon.awssdk.services.sfn.model.ExecutionStatus.RUNNING
        && System.nanoTime() < deadline);
    String history = sfn.getExecutionHistory(b -> b.executionArn(execution)).events().toString();
    assertThat(d.status()).as(history).isEqualTo(software.amazon.awssdk.services.sfn.model.ExecutionStatus.SUCCEEDED);
    assertThat(d.stateMachineArn()).isEqualTo(stack.stateMachineArn());
    assertThat(JSON.readTree(d.output()).toString()).contains("READY");
  }

  /**
   * POST /uploads through the gateway (createUpload in the local Lambda writes the catalog item
   * and presigns the PUT), then the PUT to the presigned URL, as a creator does; returns the key.
   */
  static String createAndPut(String owner, byte[] bytes) throws Exception {
    JsonNode reply = createUpload(owner, bytes);
    JsonNode signed = reply.path("upload");
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(signed.path("url").asString()))
        .method(signed.path("method").asString(), HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed.path("headers").properties().forEach(h -> {
      if (!SET_BY_CLIENT.contains(h.getKey().toLowerCase())) {
        put.header(h.getKey(), h.getValue().asString());
      }
    });
    HttpResponse<String> stored = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    return "uploads/" + owner + "/" + reply.path("videoId").asString() + "/source";
  }

  static JsonNode createUpload(String owner, byte[] bytes) throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiEndpoint() + "/uploads"))
        .header("Authorization", "Bearer " + stack.mintToken(owner, Duration.ofMinutes(5)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":"
            + bytes.length + "}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body());
  }

  /**
   * An upload whose event reaches no rule, for the tests that hand it to validateUpload
   * themselves: the catalog item from POST /uploads, the bytes written at its key in a bucket of
   * their own (EventBridge notifications on, no rule matching it), and the {@code Object Created}
   * event S3 put on the default bus for that write. In the media bucket the upload rule would start
   * video-ingest too, whose Validate would claim the upload first.
   */
  static ObjectNode upload(String owner, byte[] bytes) throws Exception {
    JsonNode reply = createUpload(owner, bytes);
    String key = "uploads/" + owner + "/" + reply.path("videoId").asString() + "/source";
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    try (AutoCloseable subscription = stack.eventBridge().subscribe("default",
        "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\""
            + SIDE_BUCKET + "\"]},\"object\":{\"key\":[\"" + key + "\"]}}}", received::add)) {
      stack.s3Client().putObject(b -> b.bucket(SIDE_BUCKET).key(key).contentType("video/mp4"), RequestBody.fromBytes(bytes));
      String event = received.poll(60, TimeUnit.SECONDS);
      assertThat(event).as("S3's Object Created event within 60 s").isNotNull();
      return (ObjectNode) JSON.readTree(event);
    }
  }
}
