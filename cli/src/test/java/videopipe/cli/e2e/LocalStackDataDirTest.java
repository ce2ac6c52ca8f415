package videopipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import videopipe.cli.local.LocalStack;
import videopipe.localstack.SdkProperties;

/**
 * {@code videopipe local up --data DIR}: a second start on the same directory finds the bucket and
 * the catalog table where the first left them, objects and items included, instead of failing to
 * create them again or starting empty; and with the same keys, so that the AWS keys an engineer
 * exported and the API tokens minted before the restart still work after it. Both stacks are
 * reached as a developer's tools reach them: SDK clients whose endpoint is the edge, and HTTP.
 */
class LocalStackDataDirTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path data;

  @Test
  void aSecondStartOnTheSameDataKeepsObjectsAndItems() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("kept").withDataDir(data);
    try (LocalStack first = LocalStack.start(options);
         DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(System.getProperty(SdkProperties.DYNAMODB_ENDPOINT)).isEqualTo(first.edgeEndpoint().toString());
      first.s3Client().putObject(b -> b.bucket(first.bucket()).key("uploads/alice/v1/source"),
          RequestBody.fromString("kept bytes"));
      dynamo.putItem(b -> b.tableName(first.tableName()).item(Map.of("videoId", AttributeValue.fromS("v1"),
          "status", AttributeValue.fromS("READY"))));
    }

    try (LocalStack second = LocalStack.start(options);
         DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(second.s3Client().getObjectAsBytes(b -> b.bucket(second.bucket()).key("uploads/alice/v1/source"))
          .asUtf8String()).isEqualTo("kept bytes");
      assertThat(dynamo.getItem(b -> b.tableName(second.tableName())
          .key(Map.of("videoId", AttributeValue.fromS("v1")))).item())
          .containsEntry("status", AttributeValue.fromS("READY"));
    }
  }

  @Test
  void aRestartSaysWhichFilesOfTheDataItCouldNotReadAndStartsAnyway() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("damaged").withDataDir(data);
    try (LocalStack first = LocalStack.start(options)) {
      assertThat(first.dataDirProblems()).isEmpty();
    }
    Path job = data.resolve("mediaconvert").resolve("1700000000000-cutcut.json");
    Path invocation = data.resolve("lambda").resolve("6f1c0c9e-0000-4000-8000-000000000000.json");
    Path retry = data.resolve("eventbridge").resolve("pending-retries").resolve("cut.json");
    for (Path file : new Path[] {job, invocation, retry}) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "{\"cut\":");
    }

    try (LocalStack second = LocalStack.start(options)) {
      assertThat(second.dataDirProblems()).hasSize(3)
          .anySatisfy(p -> assertThat(p).contains(job.toString(), job + ".unreadable"))
          .anySatisfy(p -> assertThat(p).contains(invocation.toString(), invocation + ".unreadable"))
          .anySatisfy(p -> assertThat(p).contains(retry.toString(), retry + ".unreadable"));
      assertThat(second.s3Client().listObjectsV2(b -> b.bucket(second.bucket())).contents()).isEmpty();
    }
  }

  @Test
  void aRestartOnTheSameDataKeepsTheKeysExportedAndTheTokensMinted() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("keys").withDataDir(data);
    Map<String, String> exported;
    String token;
    try (LocalStack first = LocalStack.start(options)) {
      exported = first.environment();
      token = first.mintToken("alice", Duration.ofHours(1));
    }

    try (LocalStack second = LocalStack.start(options); S3Client s3 = s3Client(second, exported)) {
      s3.putObject(b -> b.bucket(second.bucket()).key("uploads/alice/v2/source"), RequestBody.fromString("after"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(second.bucket()).key("uploads/alice/v2/source")).asUtf8String())
          .isEqualTo("after");
      HttpResponse<String> videos = getVideos(second, token);
      assertThat(videos.statusCode()).as(videos.body()).isEqualTo(200);
      assertThat(second.environment()).containsAllEntriesOf(Map.of(
          "AWS_ACCESS_KEY_ID", exported.get("AWS_ACCESS_KEY_ID"),
          "AWS_SECRET_ACCESS_KEY", exported.get("AWS_SECRET_ACCESS_KEY")));
    }
  }

  /**
   * An asynchronous invocation waiting for its retry (a minute, as on AWS) when the stack stops is
   * kept under DIR/lambda and queued again by the next start, instead of being lost with the runtime.
   */
  @Test
  void aRestartOnTheSameDataKeepsTheAsynchronousInvocationsWaitingForTheirRetry() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("queued").withDataDir(data);
    String requestId;
    try (LocalStack first = LocalStack.start(options)) {
      first.lambda().faults().failNext("transcodeCompleted", 1, "videopipe.functions.TransientFailure", "injected");
      requestId = first.lambda().invokeAsync("transcodeCompleted", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Path kept = data.resolve("lambda").resolve(requestId + ".json");
      long deadline = System.currentTimeMillis() + 60_000;
      while (!(Files.exists(kept) && Files.readString(kept).contains("\"functionErrors\":1"))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(kept).content().contains("\"functionErrors\":1");
    }

    try (LocalStack second = LocalStack.start(options)) {
      assertThat(second.lambda().pendingAsyncInvocations()).isEqualTo(1);
      assertThat(data.resolve("lambda").resolve(requestId + ".json")).exists();
    }
  }

  @Test
  void withoutADataDirEachStartHasNewKeys() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("fresh");
    Map<String, String> exported;
    String token;
    try (LocalStack first = LocalStack.start(options)) {
      exported = first.environment();
      token = first.mintToken("alice", Duration.ofHours(1));
    }

    try (LocalStack second = LocalStack.start(options); S3Client s3 = s3Client(second, exported)) {
      assertThat(second.environment().get("AWS_ACCESS_KEY_ID")).isNotEqualTo(exported.get("AWS_ACCESS_KEY_ID"));
      assertThat(second.environment().get("AWS_SECRET_ACCESS_KEY")).isNotEqualTo(exported.get("AWS_SECRET_ACCESS_KEY"));
      assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(second.bucket())))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThat(getVideos(second, token).statusCode()).isEqualTo(401);
    }
  }

  /** The AWS keys are LocalServices' to read, the gateway's the stack's: both refuse a damaged file. */
  @ParameterizedTest
  @ValueSource(strings = {"aws.json", "jwt.json"})
  void aDamagedKeysFileStopsTheStartAndIsLeftAsItWas(String name) throws Exception {
    Path file = Files.createDirectories(data.resolve("keys")).resolve(name);
    Files.writeString(file, "{\"format\": \"videopipe-local-keys/1\", \"issuer\": ");
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("damaged").withDataDir(data);

    assertThatThrownBy(() -> LocalStack.start(options))
        .hasMessageContaining("cannot use the keys file " + file + ": it is not JSON")
        .hasMessageContaining("delete it to start with new keys");
    assertThat(file).hasContent("{\"format\": \"videopipe-local-keys/1\", \"issuer\": ");
  }

  /** S3 at the stack's edge, signed with the keys an engineer exported (maybe from an earlier start). */
  static S3Client s3Client(LocalStack stack, Map<String, String> exported) {
    return S3Client.builder().endpointOverride(stack.edgeEndpoint()).region(Region.of(stack.region()))
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            exported.get("AWS_ACCESS_KEY_ID"), exported.get("AWS_SECRET_ACCESS_KEY"))))
        .build();
  }

  /** {@code GET /videos} on the stack's HTTP API, with {@code token}, over real HTTP. */
  static HttpResponse<String> getVideos(LocalStack stack, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/videos"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void printsTheEdgeAsTheOneEndpointToExport() throws Exception {
    String before = System.getProperty(SdkProperties.S3_ENDPOINT);
    try (LocalStack stack = LocalStack.start(LocalStack.Options.of(FunctionsJar.path()).withStackName("env"))) {
      assertThat(stack.environment())
          .containsEntry("AWS_ENDPOINT_URL", stack.edgeEndpoint().toString())
          .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION")
          .doesNotContainKey("AWS_ENDPOINT_URL_S3");
      assertThat(System.getProperty(SdkProperties.S3_ENDPOINT)).isEqualTo(stack.edgeEndpoint().toString());
    }
    assertThat(System.getProperty(SdkProperties.S3_ENDPOINT)).isEqualTo(before);
  }
}
