package videopipe.localstack.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * What the pipeline asks of S3 must behave here as on AWS: uploads go through presigned URLs that
 * expire and are single-use, the validator reads byte ranges, and large files arrive in parts. A
 * shortcut here (auth off, ranges ignored) would let the functions pass locally and fail on AWS.
 */
class S3EmulatorTest {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Emulator s3;
  private static S3Client client;
  private static S3Presigner presigner;
  private static HttpClient http;

  private String bucket;

  @BeforeAll
  static void start() {
    s3 = S3Emulator.start(S3Emulator.Options.inMemory());
    client = client(s3, s3.secretKey());
    presigner = S3Presigner.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials(s3.accessKey(), s3.secretKey()))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which no S3 client does.
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    presigner.close();
    s3.close();
  }

  @BeforeEach
  void createBucket() {
    bucket = "bucket-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(bucket));
  }

  static S3Client client(S3Emulator s3, String secretKey) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials(s3.accessKey(), secretKey))
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static StaticCredentialsProvider credentials(String accessKey, String secretKey) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void listensOnLoopbackOnTheReportedPort() {
    assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(s3.port()).isPositive();
    assertThat(s3.endpoint()).hasPort(s3.port());
  }

  @Test
  void failsNamingThePortWhenItIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> S3Emulator.start(S3Emulator.Options.inMemory().withPort(taken.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasRootCauseInstanceOf(java.net.BindException.class);
    }
  }

  @Test
  void storesAndReturnsAnObjectWithItsMetadata() {
    byte[] body = randomBytes(10_000, 1);
    client.putObject(b -> b.bucket(bucket).key("uploads/a b/ü/source").contentType("video/mp4"),
        RequestBody.fromBytes(body));

    HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("uploads/a b/ü/source"));
    ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/a b/ü/source"));

    assertThat(head.contentLength()).isEqualTo(10_000L);
    assertThat(head.contentType()).isEqualTo("video/mp4");
    assertThat(head.eTag()).isNotBlank();
    assertThat(got.asByteArray()).isEqualTo(body);
  }

  @Test
  void servesTheRequestedByteRange() {
    byte[] body = randomBytes(100_000, 2);
    client.putObject(b -> b.bucket(bucket).key("clip"), RequestBody.fromBytes(body));

    ResponseBytes<GetObjectResponse> range = client.getObjectAsBytes(b -> b.bucket(bucket).key("clip").range("bytes=1000-1999"));

    assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(body, 1000, 2000));
    assertThat(range.response().contentRange()).isEqualTo("bytes 1000-1999/100000");
  }

  @Test
  void refusesRequestsSignedWithTheWrongSecret() {
    try (S3Client forger = client(s3, "not-the-secret")) {
      assertThatThrownBy(() -> forger.listBuckets())
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
          });
    }
  }

  @Test
  void refusesSecondConditionalPutAndKeepsTheFirstObject() {
    byte[] first = randomBytes(100, 3);
    // Answered once: no lost answer and no retry refused by its own first write (see
    // ChunkedUploadConnectionTest).
    client.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromBytes(first));

    assertThatThrownBy(() -> client.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"),
        RequestBody.fromBytes(randomBytes(100, 4))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("once")).asByteArray()).isEqualTo(first);
  }

  @Test
  void assemblesAMultipartUpload() {
    byte[] part1 = randomBytes(5 * 1024 * 1024, 5);
    byte[] part2 = randomBytes(1234, 6);
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("big")).uploadId();
    String etag1 = client.uploadPart(b -> b.bucket(bucket).key("big").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(part1)).eTag();
    String etag2 = client.uploadPart(b -> b.bucket(bucket).key("big").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(part2)).eTag();

    client.completeMultipartUpload(b -> b.bucket(bucket).key("big").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
            CompletedPart.builder().partNumber(2).eTag(etag2).build())));

    byte[] whole = client.getObjectAsBytes(b -> b.bucket(bucket).key("big")).asByteArray();
    assertThat(whole).hasSize(part1.length + part2.length);
    assertThat(Arrays.copyOfRange(whole, part1.length, whole.length)).isEqualTo(part2);
  }

  @Test
  void acceptsPresignedPutAndServesPresignedGet() throws Exception {
    byte[] body = randomBytes(2048, 7);
    PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
        .putObjectRequest(o -> o.bucket(bucket).key("upload").contentType("video/mp4").contentLength((long) body.length)));

    HttpResponse<String> putResponse = http.send(request(put.url().toURI(), put.signedHeaders())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
        .getObjectRequest(o -> o.bucket(bucket).key("upload"))).url().toURI();
    HttpResponse<byte[]> getResponse = http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(putResponse.statusCode()).as(putResponse.body()).isEqualTo(200);
    assertThat(getResponse.statusCode()).isEqualTo(200);
    assertThat(getResponse.body()).isEqualTo(body);
  }

  @Test
  void refusesPresignedPutWithAnotherContentType() throws Exception {
    byte[] body = randomBytes(2048, 8);
    PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
        .putObjectRequest(o -> o.bucket(bucket).key("upload").contentType("video/mp4").contentLength((long) body.length)));

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(put.url().toURI())
        .header("Content-Type", "application/x-msdownload")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("SignatureDoesNotMatch");
    assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
  }

  @Test
  void refusesSecondUseOfAPresignedPutThatSignsIfNoneMatch() throws Exception {
    PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
        .putObjectRequest(o -> o.bucket(bucket).key("upload").contentType("video/mp4").ifNoneMatch("*")));
    assertThat(put.signedHeaders()).containsKey("if-none-match");

    HttpResponse<String> first = http.send(request(put.url().toURI(), put.signedHeaders())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(randomBytes(10, 9))).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = http.send(request(put.url().toURI(), put.signedHeaders())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(randomBytes(10, 10))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(412);
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("upload")).asByteArray()).isEqualTo(randomBytes(10, 9));
  }

  @Test
  void refusesAnExpiredPresignedUrl() throws Exception {
    client.putObject(b -> b.bucket(bucket).key("clip"), RequestBody.fromBytes(randomBytes(10, 11)));
    // Signed an hour ago for 15 minutes: expired without the test having to wait.
    Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
        .uri(URI.create(s3.endpoint() + "/" + bucket + "/clip")).build();
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))
        .request(unsigned)
        .putProperty(AwsV4HttpSigner.REGION_NAME, s3.region())
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(15))
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, anHourAgo)).request();

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(signed.getUri()).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("AccessDenied").containsIgnoringCase("expired");
  }

  @Test
  void completesAMultipartUploadThroughPresignedPartUrls() throws Exception {
    byte[] part1 = randomBytes(5 * 1024 * 1024, 12);
    byte[] part2 = randomBytes(777, 13);
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("parts")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] bodies = {part1, part2};
    for (int n = 1; n <= bodies.length; n++) {
      int partNumber = n;
      PresignedUploadPartRequest url = presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(15))
          .uploadPartRequest(u -> u.bucket(bucket).key("parts").uploadId(uploadId).partNumber(partNumber)));
      HttpResponse<String> response = http.send(request(url.url().toURI(), url.signedHeaders())
          .PUT(HttpRequest.BodyPublishers.ofByteArray(bodies[n - 1])).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      parts.add(CompletedPart.builder().partNumber(n).eTag(response.headers().firstValue("ETag").orElseThrow()).build());
    }

    client.completeMultipartUpload(b -> b.bucket(bucket).key("parts").uploadId(uploadId).multipartUpload(m -> m.parts(parts)));

    assertThat(client.headObject(b -> b.bucket(bucket).key("parts")).contentLength())
        .isEqualTo((long) part1.length + part2.length);
  }

  /** The signed headers a browser would send with the presigned URL, minus those the JDK sets itself. */
  private static HttpRequest.Builder request(URI uri, java.util.Map<String, List<String>> signedHeaders) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    signedHeaders.forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
        values.forEach(v -> b.header(name, v));
      }
    });
    return b;
  }
}
