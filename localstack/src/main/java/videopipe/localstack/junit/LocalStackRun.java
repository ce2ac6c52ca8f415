package videopipe.localstack.junit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.localstack.LocalServices;
import videopipe.localstack.SdkProperties;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.edge.EdgeServer;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.mediaconvert.MediaConvertEmulator;
import videopipe.localstack.s3.S3Emulator;
import videopipe.localstack.stepfunctions.StepFunctionsServer;

/**
 * The emulators of one test run (one JVM), started once by {@link LocalAwsExtension} and kept in
 * the root store, which closes them when the run ends.
 *
 * <p>They are the local stack's own {@link LocalServices} (no Lambda runtime: tests route their
 * functions with {@link StepFunctionsServer#function}), with the SDK's system properties pointing
 * at each service's own port while the run lasts (see {@link SdkProperties}), so that clients
 * built with the default chains, as the functions build theirs, reach the emulators exactly as
 * they will reach the local stack through {@code AWS_ENDPOINT_URL_<SERVICE>}. The edge runs too,
 * on a free port, for tests of the one-port path.
 */
final class LocalStackRun implements AutoCloseable {

  private static final AtomicInteger CLASSES = new AtomicInteger();
  /** How many runs this JVM started: one, unless the once-per-run guarantee broke. */
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final LocalServices services;
  private final S3Presigner s3Presigner;
  private final DynamoDbClient dynamoDbClient;

  private LocalStackRun(LocalServices services) {
    this.services = services;
    Region region = Region.of(services.region());
    this.s3Presigner = S3Presigner.builder()
        .endpointOverride(services.s3().endpoint())
        .region(region)
        .credentialsProvider(services.credentialsProvider())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    this.dynamoDbClient = DynamoDbClient.builder()
        .endpointOverride(services.dynamo().endpoint())
        .region(region)
        .credentialsProvider(services.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static LocalStackRun start() {
    STARTS.incrementAndGet();
    LocalServices services = LocalServices.start(LocalServices.Options.defaults());
    try {
      return new LocalStackRun(services);
    } catch (RuntimeException | Error e) {
      services.close();
      throw e;
    }
  }

  /** A test class's share of the run: its own bucket, created now, and its own table name. */
  LocalAws forTestClass(Class<?> testClass) {
    String id = slug(testClass.getSimpleName()) + "-" + CLASSES.incrementAndGet();
    String bucket = bucketName("test-" + id);
    services.s3Client().createBucket(b -> b.bucket(bucket));
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
    return services.s3();
  }

  DynamoEmulator dynamo() {
    return services.dynamo();
  }

  EventBridgeEmulator events() {
    return services.events();
  }

  MediaConvertEmulator mediaConvert() {
    return services.mediaConvert();
  }

  StepFunctionsServer stepFunctions() {
    return services.stepFunctions();
  }

  EdgeServer edge() {
    return services.edge();
  }

  AwsCredentialsProvider credentialsProvider() {
    return services.credentialsProvider();
  }

  S3Client s3Client() {
    return services.s3Client();
  }

  S3Presigner s3Presigner() {
    return s3Presigner;
  }

  DynamoDbClient dynamoDbClient() {
    return dynamoDbClient;
  }

  /** Closes the run's clients, then the services, which give the system properties back their values. */
  @Override
  public void close() {
    try {
      s3Presigner.close();
      dynamoDbClient.close();
    } finally {
      services.close();
    }
  }

  @Override
  public String toString() {
    return "LocalStackRun[" + services + "]";
  }
}
