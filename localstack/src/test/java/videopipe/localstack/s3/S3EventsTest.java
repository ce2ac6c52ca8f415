package videopipe.localstack.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.statemachines.StateMachineDefinitions;

/**
 * On AWS the upload itself starts the pipeline: S3 sends {@code Object Created} to EventBridge and
 * a rule starts the state machine. Locally S3Proxy must do the same, in the same format, for the
 * same writes and only those, or the pipeline would pass here on events AWS never sends (or miss
 * ones it does). Events are read where a rule would get them: on the local EventBridge's default
 * bus, matched by Event Ruler. "No event" is proven by order: a later write's event arrives first.
 */
class S3EventsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ACCOUNT = "111122223333";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Emulator s3;
  private static EventBridgeEmulator events;
  private static S3Client client;
  private static S3Presigner presigner;
  private static HttpClient http;

  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private String bucket;
  private BlockingQueue<String> received;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Emulator.start(S3Emulator.Options.inMemory());
    events = EventBridgeEmulator.start(0, s3.region(), ACCOUNT);
    s3.sendEventsTo(events);
    client = S3EmulatorTest.client(s3, s3.secretKey());
    presigner = S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    presigner.close();
    s3.close();
    events.close();
  }

  @BeforeEach
  void bucketWithEventBridgeOn() {
    bucket = "events-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(bucket));
    client.putBucketNotificationConfiguration(b -> b.bucket(bucket)
        .notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
    received = subscribe("{\"source\":[\"aws.s3\"],\"detail\":{\"bucket\":{\"name\":[\"" + bucket + "\"]}}}");
  }

  @AfterEach
  void unsubscribe() throws Exception {
    for (AutoCloseable s : subscriptions) {
      s.close();
    }
  }

  private BlockingQueue<String> subscribe(String pattern) {
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    subscriptions.add(events.subscribe("default", pattern, queue::add));
    return queue;
  }

  /**
   * The next event on {@code queue}. Each write is one event: a PUT's answer is no longer lost and
   * the PUT written again (see ChunkedUploadConnectionTest), so a repeat here is a defect.
   */
  private static JsonNode next(BlockingQueue<String> queue) throws InterruptedException {
    String event = queue.poll(60, TimeUnit.SECONDS);
    assertThat(event).as("an event within 60 s").isNotNull();
    return JSON.readTree(event);
  }

  private PutObjectResponse put(String key, byte[] body) {
    return client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  private static String md5(byte[] body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
  }

  @Test
  void putObjectEmitsObjectCreatedInEventBridgesFormat() throws Exception {
    byte[] body = "hello, world".getBytes(StandardCharsets.UTF_8);

    PutObjectResponse response = put("clips/a.mp4", body);

    JsonNode event = next(received);
    assertThat(event.path("version").asString()).isEqualTo("0");
    assertThat(event.path("id").asString()).isNotBlank();
    assertThat(event.path("detail-type").asString()).isEqualTo("Object Created");
    assertThat(event.path("source").asString()).isEqualTo("aws.s3");
    assertThat(event.path("account").asString()).isEqualTo(ACCOUNT);
    assertThat(event.path("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(event.path("region").asString()).isEqualTo(s3.region());
    assertThat(event.path("resources").toString()).isEqualTo("[\"arn:aws:s3:::" + bucket + "\"]");
    JsonNode detail = event.path("detail");
    assertThat(fieldNames(detail)).containsExactly("version", "bucket", "object", "request-id", "requester",
        "source-ip-address", "reason");
    assertThat(detail.path("version").asString()).isEqualTo("0");
    assertThat(detail.path("bucket").toString()).isEqualTo("{\"name\":\"" + bucket + "\"}");
    JsonNode object = detail.path("object");
    assertThat(fieldNames(object)).containsExactly("key", "size", "etag", "sequencer");
    assertThat(object.path("key").asString()).isEqualTo("clips/a.mp4");
    assertThat(object.path("size").isIntegralNumber()).isTrue();
    assertThat(object.path("size").asLong()).isEqualTo(body.length);
    assertThat(object.path("etag").asString()).isEqualTo(md5(body)).isEqualTo(response.eTag().replace("\"", ""));
    assertThat(object.path("sequencer").asString()).matches("[0-9A-F]{18}");
    assertThat(detail.path("request-id").asString()).isEqualTo(response.responseMetadata().requestId());
    assertThat(detail.path("requester").asString()).isEqualTo(ACCOUNT);
    assertThat(detail.path("source-ip-address").asString()).isEqualTo("127.0.0.1");
    assertThat(detail.path("reason").asString()).isEqualTo("PutObject");
  }

  @Test
  void encodesTheKeyAsS3DoesInEvents() throws Exception {
    String key = "uploads/o w+n/ü é/source";

    put(key, new byte[] {1});

    String encoded = next(received).path("detail").path("object").path("key").asString();
    assertThat(encoded).isEqualTo("uploads/o+w%2Bn/%C3%BC+%C3%A9/source");
    // what functions/' SourceKey.decode does
    assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(key);
  }

  @Test
  void aPresignedPutEmitsObjectCreated() throws Exception {
    byte[] body = "through a presigned URL".getBytes(StandardCharsets.UTF_8);
    PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
        .putObjectRequest(o -> o.bucket(bucket).key("presigned").contentType("video/mp4").contentLength((long) body.length)));

    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(presigned.url().toURI())
        .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    JsonNode detail = next(received).path("detail");
    assertThat(detail.path("object").path("key").asString()).isEqualTo("presigned");
    assertThat(detail.path("object").path("size").asLong()).isEqualTo(body.length);
    assertThat(detail.path("object").path("etag").asString()).isEqualTo(md5(body));
    assertThat(detail.path("reason").asString()).isEqualTo("PutObject");
    assertThat(detail.path("request-id").asString()).isEqualTo(stored.headers().firstValue("x-amz-request-id").orElseThrow());
  }

  @Test
  void aMultipartUploadEmitsOneEventWithTheFinalSizeAndEtag() throws Exception {
    byte[] part1 = S3EmulatorTest.randomBytes(5 * 1024 * 1024, 1);
    byte[] part2 = S3EmulatorTest.randomBytes(1000, 2);
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("big")).uploadId();
    String etag1 = client.uploadPart(b -> b.bucket(bucket).key("big").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(part1)).eTag();
    String etag2 = client.uploadPart(b -> b.bucket(bucket).key("big").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(part2)).eTag();

    String etag = client.completeMultipartUpload(b -> b.bucket(bucket).key("big").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
            CompletedPart.builder().partNumber(2).eTag(etag2).build()))).eTag();
    put("after", new byte[] {1});

    JsonNode detail = next(received).path("detail");
    assertThat(detail.path("reason").asString()).isEqualTo("CompleteMultipartUpload");
    assertThat(detail.path("object").path("key").asString()).isEqualTo("big");
    assertThat(detail.path("object").path("size").asLong()).isEqualTo(part1.length + part2.length);
    assertThat(detail.path("object").path("etag").asString()).isEqualTo(etag.replace("\"", "")).endsWith("-2");
    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("after");
  }

  @Test
  void anAbortedMultipartUploadEmitsNothing() throws Exception {
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("aborted")).uploadId();
    client.uploadPart(b -> b.bucket(bucket).key("aborted").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(new byte[100]));
    client.abortMultipartUpload(b -> b.bucket(bucket).key("aborted").uploadId(uploadId));
    put("after", new byte[] {1});

    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("after");
  }

  @Test
  void aCopyEmitsObjectCreatedForTheCopy() throws Exception {
    byte[] body = "copied".getBytes(StandardCharsets.UTF_8);
    put("original", body);
    next(received);

    client.copyObject(b -> b.sourceBucket(bucket).sourceKey("original").destinationBucket(bucket).destinationKey("copy"));

    JsonNode detail = next(received).path("detail");
    assertThat(detail.path("reason").asString()).isEqualTo("CopyObject");
    assertThat(detail.path("object").path("key").asString()).isEqualTo("copy");
    assertThat(detail.path("object").path("size").asLong()).isEqualTo(body.length);
    assertThat(detail.path("object").path("etag").asString()).isEqualTo(md5(body));
  }

  @Test
  void aDeleteEmitsObjectDeleted() throws Exception {
    put("doomed", new byte[] {1});
    next(received);

    client.deleteObject(b -> b.bucket(bucket).key("doomed"));

    JsonNode event = next(received);
    assertThat(event.path("detail-type").asString()).isEqualTo("Object Deleted");
    JsonNode detail = event.path("detail");
    assertThat(detail.path("object").path("key").asString()).isEqualTo("doomed");
    assertThat(detail.path("object").path("sequencer").asString()).matches("[0-9A-F]{18}");
    assertThat(detail.path("reason").asString()).isEqualTo("DeleteObject");
    assertThat(detail.path("deletion-type").asString()).isEqualTo("Permanently Deleted");
  }

  @Test
  void theSequencerGrowsWithEachWriteToAKey() throws Exception {
    put("again", new byte[] {1});
    put("again", new byte[] {2});

    String first = next(received).path("detail").path("object").path("sequencer").asString();
    String second = next(received).path("detail").path("object").path("sequencer").asString();
    assertThat(second).hasSameSizeAs(first).isGreaterThan(first);
  }

  @Test
  void aPutRefusedByIfNoneMatchEmitsNothing() throws Exception {
    put("once", new byte[] {1});
    next(received);

    assertThatThrownBy(() -> client.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"),
        RequestBody.fromBytes(new byte[] {2})))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    put("after", new byte[] {1});

    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("after");
  }

  @Test
  void aBadSignatureOrAnExpiredUrlEmitsNothing() throws Exception {
    try (S3Client forger = S3EmulatorTest.client(s3, "not-the-secret")) {
      assertThatThrownBy(() -> forger.putObject(b -> b.bucket(bucket).key("forged"), RequestBody.fromBytes(new byte[] {1})))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    PresignedPutObjectRequest expired = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofSeconds(1))
        .putObjectRequest(o -> o.bucket(bucket).key("expired")));
    Thread.sleep(2_000);
    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(expired.url().toURI())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    put("after", new byte[] {1});

    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("after");
  }

  @Test
  void aBucketWithNotificationsOffEmitsNothing() throws Exception {
    String quiet = bucket + "-quiet";
    client.createBucket(b -> b.bucket(quiet));
    BlockingQueue<String> all = subscribe("{\"source\":[\"aws.s3\"]}");

    client.putObject(b -> b.bucket(quiet).key("unheard"), RequestBody.fromBytes(new byte[] {1}));
    put("after", new byte[] {1});

    JsonNode first = next(all);
    assertThat(first.path("detail").path("bucket").path("name").asString()).isEqualTo(bucket);
    assertThat(first.path("detail").path("object").path("key").asString()).isEqualTo("after");
  }

  @Test
  void notificationsAreOffByDefaultAndCanBeTurnedOff() throws Exception {
    String other = bucket + "-other";
    client.createBucket(b -> b.bucket(other));

    assertThat(client.getBucketNotificationConfiguration(b -> b.bucket(other)).eventBridgeConfiguration()).isNull();
    assertThat(client.getBucketNotificationConfiguration(b -> b.bucket(bucket)).eventBridgeConfiguration()).isNotNull();

    client.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> {}));
    assertThat(client.getBucketNotificationConfiguration(b -> b.bucket(bucket)).eventBridgeConfiguration()).isNull();
    put("unheard", new byte[] {1});
    client.putBucketNotificationConfiguration(b -> b.bucket(bucket)
        .notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
    put("heard", new byte[] {1});
    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("heard");
  }

  @Test
  void theNotificationConfigurationNeedsAValidSignature() {
    try (S3Client forger = S3EmulatorTest.client(s3, "not-the-secret")) {
      assertThatThrownBy(() -> forger.putBucketNotificationConfiguration(b -> b.bucket(bucket)
          .notificationConfiguration(n -> {})))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
          });
      assertThatThrownBy(() -> forger.getBucketNotificationConfiguration(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    assertThat(client.getBucketNotificationConfiguration(b -> b.bucket(bucket)).eventBridgeConfiguration()).isNotNull();
  }

  @Test
  void refusesDestinationsOtherThanEventBridgeAndUnknownBuckets() {
    assertThatThrownBy(() -> client.putBucketNotificationConfiguration(b -> b.bucket(bucket)
        .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn("arn:aws:sqs:us-east-1:111122223333:q")
            .eventsWithStrings("s3:ObjectCreated:*")))))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(501);
          assertThat(e.awsErrorDetails().errorMessage()).contains("QueueConfiguration");
        });
    assertThatThrownBy(() -> client.getBucketNotificationConfiguration(b -> b.bucket("no-such-bucket-here")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
  }

  /** The deployed rule's own pattern, matched by Event Ruler: source uploads start the pipeline, caption sidecars do not. */
  @Test
  void theUploadRuleMatchesSourceUploadsAndNotCaptionSidecars() throws Exception {
    BlockingQueue<String> rule = subscribe(StateMachineDefinitions.pattern("upload-object-created", Map.of("MediaBucket", bucket)));

    put("uploads/alice/vAbc123456/source", new byte[] {1});
    put("uploads/alice/vAbc123456/captions/en.vtt", new byte[] {2});
    put("after", new byte[] {3});

    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("uploads/alice/vAbc123456/source");
    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("uploads/alice/vAbc123456/captions/en.vtt");
    assertThat(next(received).path("detail").path("object").path("key").asString()).isEqualTo("after");
    assertThat(next(rule).path("detail").path("object").path("key").asString()).isEqualTo("uploads/alice/vAbc123456/source");
    // Only repeats of that same write (the SDK's retried PUT: see next) may follow; no sidecar, nothing else.
    assertThat(rule).allSatisfy(e -> assertThat(JSON.readTree(e).path("detail").path("object").path("key").asString())
        .isEqualTo("uploads/alice/vAbc123456/source"));
  }

  @Test
  void anOnDiskS3KeepsTheSettingAcrossARestart(@TempDir Path dir) {
    try (S3Emulator first = S3Emulator.start(S3Emulator.Options.onDisk(dir));
         S3Client c = S3EmulatorTest.client(first, first.secretKey())) {
      c.createBucket(b -> b.bucket("kept"));
      c.createBucket(b -> b.bucket("plain"));
      c.putBucketNotificationConfiguration(b -> b.bucket("kept").notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
    }
    try (S3Emulator second = S3Emulator.start(S3Emulator.Options.onDisk(dir));
         S3Client c = S3EmulatorTest.client(second, second.secretKey())) {
      assertThat(c.getBucketNotificationConfiguration(b -> b.bucket("kept")).eventBridgeConfiguration()).isNotNull();
      assertThat(c.getBucketNotificationConfiguration(b -> b.bucket("plain")).eventBridgeConfiguration()).isNull();
      assertThat(c.listBuckets().buckets()).extracting(software.amazon.awssdk.services.s3.model.Bucket::name)
          .containsExactlyInAnyOrder("kept", "plain");
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.propertyNames().forEach(names::add);
    return names;
  }
}
