package videopipe.localstack.junit;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.stepfunctions.StepFunctionsServer;

/**
 * What a test class gets from {@link LocalAwsExtension}: the run's emulators (S3 and DynamoDB on
 * loopback), clients for them, a bucket of its own (created) and table names of its own (not
 * created: each test creates its tables with its own schema, since this module does not know the
 * catalog's).
 *
 * <p>The clients are shared by every test class of the run and closed at its end: use them, do not
 * close them. Clients built with the SDK's default chains ({@code S3Client.create()}) reach the
 * same emulators, through the system properties the extension sets.
 */
public final class LocalAws {

  private final LocalStackRun run;
  private final String bucket;
  private final String tableName;
  private final AtomicInteger tables = new AtomicInteger();

  LocalAws(LocalStackRun run, String bucket, String tableName) {
    this.run = run;
    this.bucket = bucket;
    this.tableName = tableName;
  }

  /** {@code http://127.0.0.1:<port>} of S3 (S3Proxy, authentication on). */
  public URI s3Endpoint() {
    return run.s3().endpoint();
  }

  /** {@code http://127.0.0.1:<port>} of DynamoDB (dynalite). */
  public URI dynamoDbEndpoint() {
    return run.dynamo().endpoint();
  }

  /** {@code http://127.0.0.1:<port>} of EventBridge (this project's local buses). */
  public URI eventBridgeEndpoint() {
    return run.events().endpoint();
  }

  /**
   * The run's local EventBridge, to create buses and to {@link EventBridgeEmulator#subscribe
   * subscribe} to the events code under test puts. Bus names are global to the run: make them
   * unique per class (e.g. from {@link #tableName()}).
   */
  public EventBridgeEmulator eventBridge() {
    return run.events();
  }

  /**
   * {@code http://127.0.0.1:<port>} of MediaConvert (the local one, transcoding with ffmpeg): its
   * jobs read and write this run's S3 and put their {@code MediaConvert Job State Change} events on
   * the default bus of {@link #eventBridge()}.
   */
  public URI mediaConvertEndpoint() {
    return run.mediaConvert().endpoint();
  }

  /** {@code http://127.0.0.1:<port>} of Step Functions (this project's engine, over the SFN JSON API). */
  public URI stepFunctionsEndpoint() {
    return run.stepFunctions().endpoint();
  }

  /**
   * The run's local Step Functions. It has no Lambda runtime: route the functions a state machine
   * calls with {@link StepFunctionsServer#function} (unrouted ones fail with
   * {@code Lambda.ResourceNotFoundException}). State machine names are global to the run: make
   * them unique per class.
   */
  public StepFunctionsServer stepFunctions() {
    return run.stepFunctions();
  }

  /**
   * {@code http://127.0.0.1:<port>} of the edge: one port serving every service above, routed by
   * protocol (see {@code videopipe.localstack.edge.EdgeServer}). The system properties point at
   * each service's own port, not here.
   */
  public URI edgeEndpoint() {
    return run.edge().endpoint();
  }

  /** {@code us-east-1}. */
  public String region() {
    return run.s3().region();
  }

  /** S3 checks signatures against this key; DynamoDB accepts any. */
  public String accessKey() {
    return run.s3().accessKey();
  }

  public String secretKey() {
    return run.s3().secretKey();
  }

  public AwsCredentialsProvider credentialsProvider() {
    return run.credentialsProvider();
  }

  /** This test class's bucket, already created and empty at the start of the class. */
  public String bucket() {
    return bucket;
  }

  /** A table name for this test class, unique in the run; the table does not exist yet. */
  public String tableName() {
    return tableName;
  }

  /** A further table name, unique in the run, for tests that need more than one table. */
  public String uniqueTableName(String purpose) {
    return LocalStackRun.tableName(tableName + "-" + purpose + "-" + tables.incrementAndGet());
  }

  /** Path-style S3 client signed with the emulator's keys. Shared: do not close. */
  public S3Client s3Client() {
    return run.s3Client();
  }

  /** Presigner for the emulator (path-style). Shared: do not close. */
  public S3Presigner s3Presigner() {
    return run.s3Presigner();
  }

  /** DynamoDB client for the emulator. Shared: do not close. */
  public DynamoDbClient dynamoDbClient() {
    return run.dynamoDbClient();
  }

  /**
   * The environment a process (a CLI under test, a function in its own runtime) needs to reach
   * the emulators through the SDK's standard variables: {@code AWS_ENDPOINT_URL_S3},
   * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_EVENTBRIDGE}, {@code AWS_ENDPOINT_URL_MEDIACONVERT},
   * {@code AWS_ENDPOINT_URL_SFN}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
   * {@code AWS_REGION}.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint().toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint().toString());
    env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridgeEndpoint().toString());
    env.put("AWS_ENDPOINT_URL_MEDIACONVERT", mediaConvertEndpoint().toString());
    env.put("AWS_ENDPOINT_URL_SFN", stepFunctionsEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", secretKey());
    env.put("AWS_REGION", region());
    return env;
  }

  /** Never prints the secret: this ends up in assertion messages. */
  @Override
  public String toString() {
    return "LocalAws[s3=" + s3Endpoint() + ", dynamodb=" + dynamoDbEndpoint() + ", bucket=" + bucket
        + ", table=" + tableName + "]";
  }
}
