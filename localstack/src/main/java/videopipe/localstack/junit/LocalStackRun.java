package videopipe.localstack.junit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.mediaconvert.MediaConvertEmulator;
import videopipe.localstack.s3.S3Emulator;
import videopipe.localstack.stepfunctions.StepFunctionsServer;

/**
 * The emulators of one test run (one JVM), started once by {@link LocalAwsExtension} and kept in
 * the root store, which closes them when the run ends.
 *
 * <p>While it runs, the SDK's own system properties point at it, so that clients built with the
 * default chains, as the functions build theirs, reach the emulators exactly as they will reach
 * the local stack through {@code AWS_ENDPOINT_URL_<SERVICE>}. The names are the SDK's (2.57, read
 * from its generated client builders and {@code SdkSystemSetting}); the DynamoDB one is spelled
 * {@code aws.endpointUrlDynamoDb}, not {@code ...Dynamodb}. System properties win over environment
 * variables and profiles in the SDK, so a developer's own AWS settings cannot leak into a test.
 */
final class LocalStackRun implements AutoCloseable {

  static final String S3_ENDPOINT = "aws.endpointUrlS3";
  static final String DYNAMODB_ENDPOINT = "aws.endpointUrlDynamoDb";
  static final String EVENTBRIDGE_ENDPOINT = "aws.endpointUrlEventBridge";
  /** MediaConvertClient's name for AWS_ENDPOINT_URL_MEDIACONVERT (the client's name, as for DynamoDb). */
  static final String MEDIACONVERT_ENDPOINT = "aws.endpointUrlMediaConvert";
  /** SfnClient's name for AWS_ENDPOINT_URL_SFN (read from DefaultSfnBaseClientBuilder, SDK 2.57). */
  static final String SFN_ENDPOINT = "aws.endpointUrlSfn";
  /** The account id the local stack reports in ARNs and events, as LocalStack does. */
  static final String ACCOUNT = "000000000000";
  static final String ACCESS_KEY_ID = "aws.accessKeyId";
  static final String SECRET_ACCESS_KEY = "aws.secretAccessKey";
  /** Cleared for the run: a session token would be sent along with the emulator's keys. */
  static final String SESSION_TOKEN = "aws.sessionToken";
  static final String REGION = "aws.region";

  private static final AtomicInteger CLASSES = new AtomicInteger();
  /** How many runs this JVM started: one, unless the once-per-run guarantee broke. */
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final S3Emulator s3;
  private final DynamoEmulator dynamo;
  private final EventBridgeEmulator events;
  private MediaConvertEmulator mediaConvert;
  private StepFunctionsServer stepFunctions;
  private final Map<String, String> previousProperties = new LinkedHashMap<>();
  private final AwsCredentialsProvider credentials;
  private final S3Client s3Client;
  private final S3Presigner s3Presigner;
  private final DynamoDbClient dynamoDbClient;

  private LocalStackRun(S3Emulator s3, DynamoEmulator dynamo, EventBridgeEmulator events) {
    this.s3 = s3;
    this.dynamo = dynamo;
    this.events = events;
    this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    Region region = Region.of(s3.region());
    this.s3Client = S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(region)
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    this.s3Presigner = S3Presigner.builder()
        .endpointOverride(s3.endpoint())
        .region(region)
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    this.dynamoDbClient = DynamoDbClient.builder()
        .endpointOverride(dynamo.endpoint())
        .region(region)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static LocalStackRun start() {
    STARTS.incrementAndGet();
    S3Emulator s3 = S3Emulator.start(S3Emulator.Options.inMemory());
    DynamoEmulator dynamo;
    EventBridgeEmulator events;
    try {
      dynamo = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
    } catch (RuntimeException e) {
      s3.close();
      throw e;
    }
    try {
      events = EventBridgeEmulator.start(0, s3.region(), ACCOUNT);
    } catch (java.io.IOException | RuntimeException e) {
      dynamo.close();
      s3.close();
      throw new IllegalStateException("cannot start the local EventBridge", e);
    }
    LocalStackRun run = new LocalStackRun(s3, dynamo, events);
    try {
      // Its jobs read and write the run's S3 and put their state changes on the default bus, as on AWS.
      run.mediaConvert = MediaConvertEmulator.start(
          MediaConvertEmulator.Options.defaults().withConcurrency(2), run.s3Client,
          MediaConvertEmulator.toEventBridge(events, "default"));
    } catch (java.io.IOException | RuntimeException e) {
      run.close();
      throw new IllegalStateException("cannot start the local MediaConvert", e);
    }
    try {
      // No Lambda runtime yet: tests route their functions with StepFunctionsServer.function.
      run.stepFunctions = StepFunctionsServer.start(0, s3.region(), ACCOUNT, StepFunctionsServer.noFunctions());
    } catch (java.io.IOException | RuntimeException e) {
      run.close();
      throw new IllegalStateException("cannot start the local Step Functions", e);
    }
    run.setSystemProperties();
    return run;
  }

  private void setSystemProperties() {
    set(S3_ENDPOINT, s3.endpoint().toString());
    set(DYNAMODB_ENDPOINT, dynamo.endpoint().toString());
    set(EVENTBRIDGE_ENDPOINT, events.endpoint().toString());
    set(MEDIACONVERT_ENDPOINT, mediaConvert.endpoint().toString());
    set(SFN_ENDPOINT, stepFunctions.endpoint().toString());
    set(ACCESS_KEY_ID, s3.accessKey());
    set(SECRET_ACCESS_KEY, s3.secretKey());
    set(SESSION_TOKEN, null);
    set(REGION, s3.region());
  }

  private void set(String name, String value) {
    previousProperties.put(name, System.getProperty(name));
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  /** A test class's share of the run: its own bucket, created now, and its own table name. */
  LocalAws forTestClass(Class<?> testClass) {
    String id = slug(testClass.getSimpleName()) + "-" + CLASSES.incrementAndGet();
    String bucket = bucketName("test-" + id);
    s3Client.createBucket(b -> b.bucket(bucket));
    return new LocalAws(this, bucket, tableName("test-" + id));
  }

  /** S3: 3-63 characters, lower-case letters, digits and hyphens, starting and ending alphanumeric. */
  static String bucketName(String candidate) {
    String name = candidate.length() > 63 ? candidate.substring(candidate.length() - 63) : candidate;
    return name.replaceAll("^[^a-z0-9]+", "");
  }

  /** DynamoDB: 3-255 characters of letters, digits, '_', '-' and '.'. */
  static String tableName(String candidate) {
    String name = candidate.replaceAll("[^A-Za-z0-9_.-]", "-");
    return name.length() > 255 ? name.substring(name.length() - 255) : name;
  }

  private static String slug(String s) {
    String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return slug.isEmpty() ? "class" : slug;
  }

  static int starts() {
    return STARTS.get();
  }

  S3Emulator s3() {
    return s3;
  }

  DynamoEmulator dynamo() {
    return dynamo;
  }

  EventBridgeEmulator events() {
    return events;
  }

  MediaConvertEmulator mediaConvert() {
    return mediaConvert;
  }

  StepFunctionsServer stepFunctions() {
    return stepFunctions;
  }

  AwsCredentialsProvider credentialsProvider() {
    return credentials;
  }

  S3Client s3Client() {
    return s3Client;
  }

  S3Presigner s3Presigner() {
    return s3Presigner;
  }

  DynamoDbClient dynamoDbClient() {
    return dynamoDbClient;
  }

  /** Stops both emulators and gives the system properties back their values from before the run. */
  @Override
  public void close() {
    try {
      s3Client.close();
      s3Presigner.close();
      dynamoDbClient.close();
      previousProperties.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    } finally {
      try {
        if (stepFunctions != null) {
          stepFunctions.close();
        }
        if (mediaConvert != null) {
          mediaConvert.close();
        }
        events.close();
        dynamo.close();
      } finally {
        s3.close();
      }
    }
  }

  @Override
  public String toString() {
    return "LocalStackRun[" + s3 + ", " + dynamo + ", eventbridge " + events.endpoint() + "]";
  }
}
