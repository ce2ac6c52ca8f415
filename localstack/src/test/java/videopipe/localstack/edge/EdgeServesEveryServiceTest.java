package videopipe.localstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * Every AWS SDK client, pointed at the one edge endpoint, works unchanged, as it does pointed at
 * each emulator's own port: what {@code AWS_ENDPOINT_URL=http://127.0.0.1:4566} promises. S3
 * checks SigV4, so its tests also prove that the edge forwards the signed Host and headers, and
 * presigned query strings, untouched.
 */
@ExtendWith(LocalAwsExtension.class)
class EdgeServesEveryServiceTest {

  private static S3Client s3;
  private static S3Presigner presigner;
  private static HttpClient http;

  @BeforeAll
  static void clients(LocalAws aws) {
    s3 = S3Client.builder().endpointOverride(aws.edgeEndpoint()).region(Region.of(aws.region()))
        .credentialsProvider(aws.credentialsProvider()).forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create()).build();
    presigner = S3Presigner.builder().endpointOverride(aws.edgeEndpoint()).region(Region.of(aws.region()))
        .credentialsProvider(aws.credentialsProvider())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void close() {
    s3.close();
    presigner.close();
  }

  @Test
  void s3PutsAndGetsASignedObject(LocalAws aws) {
    s3.putObject(b -> b.bucket(aws.bucket()).key("edge/hello.txt").contentType("text/plain"),
        RequestBody.fromString("hello through the edge"));

    assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key("edge/hello.txt")).asUtf8String())
        .isEqualTo("hello through the edge");
    assertThat(aws.s3Client().headObject(b -> b.bucket(aws.bucket()).key("edge/hello.txt")).contentLength())
        .isEqualTo(22);
  }

  @Test
  void s3StillRefusesABadSignature(LocalAws aws) {
    try (S3Client forged = S3Client.builder().endpointOverride(aws.edgeEndpoint()).region(Region.of(aws.region()))
        .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
            aws.accessKey(), "not-the-secret"))
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> forged.putObject(b -> b.bucket(aws.bucket()).key("edge/forged"), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void s3CompletesAMultipartUpload(LocalAws aws) {
    byte[] first = new byte[5 * 1024 * 1024];
    new Random(1).nextBytes(first);
    byte[] second = "the last part".getBytes();
    String key = "edge/multipart.bin";
    String upload = s3.createMultipartUpload(b -> b.bucket(aws.bucket()).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] bodies = {first, second};
    for (int i = 0; i < bodies.length; i++) {
      int n = i + 1;
      String etag = s3.uploadPart(b -> b.bucket(aws.bucket()).key(key).uploadId(upload).partNumber(n),
          RequestBody.fromBytes(bodies[i])).eTag();
      parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    s3.completeMultipartUpload(b -> b.bucket(aws.bucket()).key(key).uploadId(upload)
        .multipartUpload(m -> m.parts(parts)));

    byte[] got = s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asByteArray();
    assertThat(got).hasSize(first.length + second.length);
    assertThat(java.util.Arrays.copyOfRange(got, 0, first.length)).isEqualTo(first);
  }

  @Test
  void s3TakesPresignedPutAndGetOverPlainHttp(LocalAws aws) throws Exception {
    String key = "edge/presigned.txt";
    URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
        .putObjectRequest(o -> o.bucket(aws.bucket()).key(key))).url().toURI();
    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(put)
        .PUT(HttpRequest.BodyPublishers.ofString("presigned body")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

    URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(o -> o.bucket(aws.bucket()).key(key))).url().toURI();
    assertThat(get.getPort()).isEqualTo(aws.edgeEndpoint().getPort());
    HttpResponse<String> read = http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("presigned body");

    HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(get.toString()
        .replace("presigned.txt", "other.txt"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(403);
  }

  @Test
  void dynamoDbCreatesAndReadsATable(LocalAws aws) {
    String table = aws.uniqueTableName("edge");
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(aws.edgeEndpoint())
        .region(Region.of(aws.region())).credentialsProvider(aws.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      dynamo.createTable(t -> t.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
      dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
      dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("v1"),
          "status", AttributeValue.fromS("READY"))));

      assertThat(dynamo.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("v1")))).item())
          .containsEntry("status", AttributeValue.fromS("READY"));
      assertThat(aws.dynamoDbClient().listTables().tableNames()).contains(table);
    }
  }

  @Test
  void stepFunctionsRunsAnExecution(LocalAws aws) throws Exception {
    try (SfnClient sfn = SfnClient.builder().endpointOverride(aws.edgeEndpoint()).region(Region.of(aws.region()))
        .credentialsProvider(aws.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build()) {
      String machine = sfn.createStateMachine(b -> b.name(aws.tableName() + "-edge")
          .roleArn("arn:aws:iam::000000000000:role/sfn")
          .definition("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":{\"ok\":true},\"End\":true}}}"))
          .stateMachineArn();
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
      DescribeExecutionResponse d;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      do {
        Thread.sleep(20);
        d = sfn.describeExecution(b -> b.executionArn(arn));
      } while (d.status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline);

      assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(d.output()).isEqualTo("{\"ok\":true}");
    }
  }

  @Test
  void eventBridgeDeliversAPutEvent(LocalAws aws) throws Exception {
    String bus = aws.tableName() + "-edge-bus";
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(aws.edgeEndpoint())
        .region(Region.of(aws.region())).credentialsProvider(aws.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      events.createEventBus(b -> b.name(bus));
      try (AutoCloseable rule = aws.eventBridge().subscribe(bus, "{\"source\":[\"videopipe.edge\"]}", got::add)) {
        assertThat(events.putEvents(b -> b.entries(e -> e.eventBusName(bus).source("videopipe.edge")
            .detailType("Edge Test").detail("{\"n\":1}"))).failedEntryCount()).isZero();

        assertThat(got.poll(60, TimeUnit.SECONDS)).contains("\"detail\":{\"n\":1}");
      }
    }
  }

  @Test
  void mediaConvertAnswersItsRestPaths(LocalAws aws) throws Exception {
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(aws.edgeEndpoint().resolve("/2017-08-29/jobs"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains("\"jobs\"");

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(aws.edgeEndpoint()
        .resolve("/2017-08-29/jobs/1700000000000-nosuch")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
  }

  @Test
  void refusesAnUnknownTargetNamingIt(LocalAws aws) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(aws.edgeEndpoint())
        .header("X-Amz-Target", "AmazonSQS.SendMessage").header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
    assertThat(r.body()).contains("\"__type\":\"UnknownOperationException\"", "AmazonSQS.SendMessage");
  }

  @Test
  void answersLambdaRequests502WhenTheStackHasNoLambda(LocalAws aws) {
    try (LambdaClient lambda = LambdaClient.builder().endpointOverride(aws.edgeEndpoint())
        .region(Region.of(aws.region())).credentialsProvider(aws.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build()) {
      assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("any").payload(SdkBytes.fromUtf8String("{}"))))
          .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.statusCode()).isEqualTo(502))
          .hasMessageContaining("Lambda does not run in this stack");
    }
  }
}
