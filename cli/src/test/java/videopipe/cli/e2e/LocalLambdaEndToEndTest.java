package videopipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.OpenApiDocument;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;
import videopipe.localstack.lambda.LambdaServer;
import videopipe.localstack.lambda.LocalLambda;

/**
 * The real functions jar in the local Lambda, end to end: a creator asks for an upload through the
 * HTTP API gateway (createUpload, run by the local Lambda), PUTs a real clip to the presigned URL,
 * and validateUpload gets S3's {@code Object Created} event through the Lambda Invoke API, with the
 * AWS SDK's own {@code LambdaClient}, against S3Proxy and dynalite.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalLambdaEndToEndTest {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicLong SEQUENCER = new AtomicLong(0x0064D3901D00059242L);
  private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host", "expect", "connection");

  @TempDir
  static Path dir;
  static LocalAws aws;
  static LocalLambda lambda;
  static LambdaServer server;
  static LambdaClient client;
  static HttpApiGateway gateway;
  static byte[] clip;
  static String stackName;

  @BeforeAll
  static void start(LocalAws localAws) throws Exception {
    aws = localAws;
    FunctionsJar.createCatalogTable(aws.tableName());
    String bus = aws.tableName() + "-bus";
    aws.eventBridge().createBus(bus);
    lambda = new LocalLambda(FunctionsJar.path(), aws.region(), "000000000000");
    stackName = aws.tableName();
    lambda.deployAll(Map.of("CATALOG_TABLE", aws.tableName(), "EVENT_BUS_NAME", bus,
        "UPLOAD_BUCKET", aws.bucket(), "MEDIA_BUCKET", aws.bucket(), "S3_FORCE_PATH_STYLE", "true",
        "STACK_NAME", stackName, "MEDIACONVERT_ROLE_ARN", "arn:aws:iam::000000000000:role/mediaconvert"));
    server = LambdaServer.start(0, lambda);
    client = LambdaClient.builder().endpointOverride(server.endpoint()).region(Region.of(aws.region()))
        .credentialsProvider(aws.credentialsProvider()).build();
    OpenApiDocument api;
    try (JarFile jar = new JarFile(FunctionsJar.path().toFile());
         InputStream in = jar.getInputStream(jar.getEntry("api/openapi.yaml"))) {
      api = OpenApiDocument.read(in);
    }
    gateway = HttpApiGateway.start(HttpApiGateway.Config.defaults(), api, lambda.integration());
    clip = Clips.mp4(dir);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (lambda != null) {
      lambda.close();
    }
  }

  static JsonNode invoke(String function, Object event) {
    InvokeResponse r = client.invoke(b -> b.functionName(function)
        .payload(SdkBytes.fromByteArray(JSON.writeValueAsBytes(event))));
    assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
    return JSON.readTree(r.payload().asUtf8String());
  }

  static String executionArn() {
    return "arn:aws:states:" + aws.region() + ":000000000000:execution:video-ingest:" + UUID.randomUUID();
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
    String otherTable = aws.uniqueTableName("other");
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
   * The whole ingest on the local stack: video-ingest from statemachines/ (the loader Pulumi uses),
   * its Tasks run by the local Lambda, MediaConvert's Job State Change routed by the deployed
   * rule's pattern to transcodeCompleted, which answers the task token: READY.
   */
  @Test
  void runsVideoIngestFromUploadToReady() throws Exception {
    Map<String, String> arns = new LinkedHashMap<>();
    for (String f : java.util.List.of("ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo")) {
      String bean = Character.toLowerCase(f.charAt(0)) + f.substring(1);
      arns.put(f + "Arn", lambda.functionArn(bean));
    }
    java.util.List<AutoCloseable> routes = new java.util.ArrayList<>();
    for (String arn : arns.values()) {
      routes.add(aws.stepFunctions().function(arn, lambda.taskInvoker()));
    }
    routes.add(aws.eventBridge().subscribe("default",
        videopipe.statemachines.StateMachineDefinitions.pattern("transcode-job-state-change", Map.of("StackName", stackName)),
        lambda.target("transcodeCompleted")));
    try (software.amazon.awssdk.services.sfn.SfnClient sfn = software.amazon.awssdk.services.sfn.SfnClient.create()) {
      String definition = videopipe.statemachines.StateMachineDefinitions.load("video-ingest", arns).json();
      String machine = sfn.createStateMachine(b -> b.name(aws.tableName() + "-ingest")
          .roleArn("arn:aws:iam::000000000000:role/sfn").definition(definition)).stateMachineArn();
      ObjectNode event = upload("carol", clip);
      String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input(JSON.writeValueAsString(event)))
          .executionArn();
      software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse d;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      do {
        Thread.sleep(100);
        d = sfn.describeExecution(b -> b.executionArn(execution));
      } while (d.status() == software.amazon.awssdk.services.sfn.model.ExecutionStatus.RUNNING
          && System.nanoTime() < deadline);
      String history = sfn.getExecutionHistory(b -> b.executionArn(execution)).events().toString();
      assertThat(d.status()).as(history).isEqualTo(software.amazon.awssdk.services.sfn.model.ExecutionStatus.SUCCEEDED);
      assertThat(JSON.readTree(d.output()).toString()).contains("READY");
    } finally {
      for (AutoCloseable route : routes) {
        route.close();
      }
    }
  }

  /**
   * A creator's upload as the pipeline meets it: POST /uploads through the gateway (createUpload in
   * the local Lambda writes the catalog item and presigns the PUT), the PUT itself, and the event
   * S3 emits for that write, in EventBridge's format.
   */
  static ObjectNode upload(String owner, byte[] bytes) throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/uploads"))
        .header("Authorization", "Bearer " + gateway.mintToken(owner, Duration.ofMinutes(5)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":"
            + bytes.length + "}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode reply = JSON.readTree(created.body());
    String videoId = reply.path("videoId").asString();
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
    String etag = stored.headers().firstValue("etag").orElseThrow().replace("\"", "");
    return objectCreated(aws.bucket(), "uploads/" + owner + "/" + videoId + "/source", bytes.length, etag);
  }

  /** S3's {@code Object Created} event on EventBridge, as the upload rule delivers it. */
  static ObjectNode objectCreated(String bucket, String key, long size, String etag) {
    String sequencer = Long.toHexString(SEQUENCER.incrementAndGet()).toUpperCase();
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("key", key);
    object.put("size", size);
    object.put("etag", etag);
    object.put("sequencer", sequencer);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("version", "0");
    detail.put("bucket", Map.of("name", bucket));
    detail.put("object", object);
    detail.put("request-id", "REQ" + sequencer);
    detail.put("requester", "000000000000");
    detail.put("source-ip-address", "127.0.0.1");
    detail.put("reason", "PutObject");
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Object Created");
    event.put("source", "aws.s3");
    event.put("account", "000000000000");
    event.put("time", "2026-11-24T12:00:00Z");
    event.put("region", aws.region());
    event.put("resources", java.util.List.of("arn:aws:s3:::" + bucket));
    event.put("detail", detail);
    return JSON.valueToTree(event);
  }
}
