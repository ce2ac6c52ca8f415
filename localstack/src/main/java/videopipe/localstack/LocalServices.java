package videopipe.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.edge.EdgeServer;
import videopipe.localstack.edge.Service;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.lambda.LambdaServer;
import videopipe.localstack.lambda.LocalLambda;
import videopipe.localstack.mediaconvert.MediaConvertEmulator;
import videopipe.localstack.s3.S3Emulator;
import videopipe.localstack.stepfunctions.StepFunctionsServer;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * The local AWS services of one stack, started together in one place for both who run them: the
 * tests' {@code LocalAwsExtension} and the CLI's local stack. S3 (S3Proxy), DynamoDB (dynalite),
 * EventBridge, MediaConvert (its jobs read and write this S3 and put their state changes on the
 * default bus, as on AWS), Step Functions (its tasks run on the given Lambda, if any), Lambda's
 * Invoke API (with a Lambda), and the {@link EdgeServer edge} routing one port to all of them.
 *
 * <p>While it runs, the SDK's {@link SdkProperties system properties} point either at each
 * service's own port (the tests, as before the edge) or at the edge, and its keys and region.
 * One stack per JVM, then: the properties are JVM-wide.
 */
public final class LocalServices implements AutoCloseable {

  /** The account id the local stack reports in ARNs and events, as LocalStack does. */
  public static final String ACCOUNT = "000000000000";
  public static final String REGION = S3Emulator.REGION;

  /** Where the SDK's endpoint properties point while the services run. */
  public enum SdkEndpoints { EACH_SERVICE, EDGE }

  /**
   * What to start.
   *
   * @param edgePort the edge's port, 0 for any free one
   * @param dataDir where S3, DynamoDB, Step Functions and EventBridge's dead-letter queues keep
   *     their data across restarts ({@code s3/}, {@code dynamodb/}, {@code stepfunctions/},
   *     {@code eventbridge/} under it), MediaConvert its jobs ({@code mediaconvert/}), and the keys
   *     with them ({@code keys/}), or null to keep everything in memory, with new keys at each start
   * @param lambda the Lambda runtime Step Functions' tasks and the Invoke API run on, or null for
   *     none (tasks then fail with {@code Lambda.ResourceNotFoundException}, and the edge answers
   *     Lambda requests 502)
   * @param lambdaPort the Invoke API's own port, 0 for any free one
   * @param sdkEndpoints where the SDK's endpoint properties point
   * @param resumeAfter what else the executions and MediaConvert jobs read back from the data
   *     directory wait for, besides the services: the caller's deployment (its functions and the
   *     rules that carry the jobs' events), which can only be made once the services are up
   */
  public record Options(int edgePort, Path dataDir, LocalLambda lambda, int lambdaPort, SdkEndpoints sdkEndpoints,
      CompletionStage<?> resumeAfter) {

    /** In memory, every port free, no Lambda, the SDK at each service's own port. */
    public static Options defaults() {
      return new Options(0, null, null, 0, SdkEndpoints.EACH_SERVICE, CompletableFuture.completedFuture(null));
    }

    public Options withEdgePort(int port) {
      return new Options(port, dataDir, lambda, lambdaPort, sdkEndpoints, resumeAfter);
    }

    public Options withDataDir(Path dir) {
      return new Options(edgePort, dir, lambda, lambdaPort, sdkEndpoints, resumeAfter);
    }

    public Options withLambda(LocalLambda runtime, int port) {
      return new Options(edgePort, dataDir, runtime, port, sdkEndpoints, resumeAfter);
    }

    public Options withSdkEndpoints(SdkEndpoints endpoints) {
      return new Options(edgePort, dataDir, lambda, lambdaPort, endpoints, resumeAfter);
    }

    public Options withResumeAfter(CompletionStage<?> deployed) {
      return new Options(edgePort, dataDir, lambda, lambdaPort, sdkEndpoints, deployed);
    }
  }

  private final Started started = new Started("the local services");
  private S3Emulator s3;
  private DynamoEmulator dynamo;
  private EventBridgeEmulator events;
  private MediaConvertEmulator mediaConvert;
  private StepFunctionsServer stepFunctions;
  private LambdaServer lambdaServer;
  private EdgeServer edge;
  private AwsCredentialsProvider credentials;
  private S3Client s3Client;

  private LocalServices() {}

  /** Starts every service, then sets the SDK's properties; on failure, stops what started and rethrows. */
  public static LocalServices start(Options options) {
    LocalServices services = new LocalServices();
    try {
      services.startAll(options);
      return services;
    } catch (RuntimeException | Error e) {
      services.close();
      throw e;
    } catch (IOException e) {
      services.close();
      throw new IllegalStateException("cannot start the local services: " + e.getMessage(), e);
    }
  }

  private <T extends AutoCloseable> T keep(T service) {
    return started.keep(service);
  }

  /** Completed once the services are up and the SDK's properties point at them. */
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  private void startAll(Options options) throws IOException {
    Path data = options.dataDir();
    s3 = startS3(data);
    dynamo = keep(DynamoEmulator.start(data == null
        ? DynamoEmulator.Options.inMemory() : DynamoEmulator.Options.onDisk(data.resolve("dynamodb"))));
    events = keep(EventBridgeEmulator.start(EventBridgeEmulator.Options.defaults(REGION, ACCOUNT)
        .withDataDirectory(data == null ? null : data.resolve("eventbridge"))));
    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    s3Client = keep(S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build());
    // What was running when the stack stopped (executions, MediaConvert jobs) goes on once the SDK's
    // properties point at this stack, so that the functions it calls call this stack (never AWS),
    // and once the caller has deployed the functions and the rules that carry the jobs' events.
    CompletableFuture<Void> resume = ready.thenCombine(options.resumeAfter(), (up, deployed) -> null);
    mediaConvert = keep(MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults().withConcurrency(2)
            .withDataDir(data == null ? null : data.resolve("mediaconvert")).withRerunAfter(resume),
        s3Client, MediaConvertEmulator.toEventBridge(events, "default")));
    LocalLambda lambda = options.lambda();
    TaskInvoker functions = lambda != null ? lambda.taskInvoker() : StepFunctionsServer.noFunctions();
    TaskInvoker whenReady = (function, payload) -> resume.thenCompose(x -> functions.invoke(function, payload));
    stepFunctions = keep(StepFunctionsServer.start(0, REGION, ACCOUNT, whenReady,
        data == null ? null : data.resolve("stepfunctions"), StepFunctionsServer.toEventBridge(events, "default")));
    if (lambda != null) {
      lambdaServer = keep(LambdaServer.start(options.lambdaPort(), lambda));
    }
    edge = keep(EdgeServer.start(options.edgePort(), backends()));
    keep(SdkProperties.set(sdkProperties(options.sdkEndpoints())));
    ready.complete(null);
  }

  /**
   * S3, whose keys every service's SDK properties carry: on a data directory, the keys kept there
   * ({@link LocalKeys}), or new ones kept there from now on; in memory, new ones.
   */
  private S3Emulator startS3(Path data) {
    if (data == null) {
      return keep(S3Emulator.start(S3Emulator.Options.inMemory()));
    }
    LocalKeys keys = LocalKeys.in(data);
    Optional<LocalKeys.AwsKeys> kept = keys.aws();
    S3Emulator.Options onDisk = S3Emulator.Options.onDisk(data.resolve("s3"));
    S3Emulator s3 = keep(S3Emulator.start(kept.map(k -> onDisk.withCredentials(k.accessKeyId(), k.secretAccessKey()))
        .orElse(onDisk)));
    if (kept.isEmpty()) {
      keys.keep(new LocalKeys.AwsKeys(s3.accessKey(), s3.secretKey()));
    }
    return s3;
  }

  private Map<Service, URI> backends() {
    Map<Service, URI> backends = new EnumMap<>(Service.class);
    backends.put(Service.S3, s3.endpoint());
    backends.put(Service.DYNAMODB, dynamo.endpoint());
    backends.put(Service.EVENTBRIDGE, events.endpoint());
    backends.put(Service.MEDIACONVERT, mediaConvert.endpoint());
    backends.put(Service.STEP_FUNCTIONS, stepFunctions.endpoint());
    if (lambdaServer != null) {
      backends.put(Service.LAMBDA, lambdaServer.endpoint());
    }
    return backends;
  }

  private Map<String, String> sdkProperties(SdkEndpoints endpoints) {
    Map<String, String> p = new LinkedHashMap<>();
    boolean viaEdge = endpoints == SdkEndpoints.EDGE;
    if (viaEdge) {
      p.put(SdkProperties.ENDPOINT, edge.endpoint().toString());
    }
    p.put(SdkProperties.S3_ENDPOINT, (viaEdge ? edge.endpoint() : s3.endpoint()).toString());
    p.put(SdkProperties.DYNAMODB_ENDPOINT, (viaEdge ? edge.endpoint() : dynamo.endpoint()).toString());
    p.put(SdkProperties.EVENTBRIDGE_ENDPOINT, (viaEdge ? edge.endpoint() : events.endpoint()).toString());
    p.put(SdkProperties.MEDIACONVERT_ENDPOINT, (viaEdge ? edge.endpoint() : mediaConvert.endpoint()).toString());
    p.put(SdkProperties.SFN_ENDPOINT, (viaEdge ? edge.endpoint() : stepFunctions.endpoint()).toString());
    if (viaEdge) {
      p.put(SdkProperties.LAMBDA_ENDPOINT, edge.endpoint().toString());
    }
    p.put(SdkProperties.ACCESS_KEY_ID, s3.accessKey());
    p.put(SdkProperties.SECRET_ACCESS_KEY, s3.secretKey());
    p.put(SdkProperties.SESSION_TOKEN, null);
    p.put(SdkProperties.REGION, REGION);
    return p;
  }

  public S3Emulator s3() {
    return s3;
  }

  public DynamoEmulator dynamo() {
    return dynamo;
  }

  public EventBridgeEmulator events() {
    return events;
  }

  public MediaConvertEmulator mediaConvert() {
    return mediaConvert;
  }

  public StepFunctionsServer stepFunctions() {
    return stepFunctions;
  }

  /** The Invoke API, or null when started without a Lambda. */
  public LambdaServer lambdaServer() {
    return lambdaServer;
  }

  public EdgeServer edge() {
    return edge;
  }

  public String region() {
    return REGION;
  }

  /** The keys S3 checks signatures against (the other services accept any signed request). */
  public AwsCredentialsProvider credentialsProvider() {
    return credentials;
  }

  /** Path-style, at S3's own port, signed with the stack's keys. Owned by the services: do not close. */
  public S3Client s3Client() {
    return s3Client;
  }

  /** Gives the SDK's properties back their values and stops every service, last started first. */
  @Override
  public void close() {
    ready.completeExceptionally(new IllegalStateException("the local services stopped before they were up"));
    started.close();
  }

  @Override
  public String toString() {
    return "LocalServices[edge " + (edge == null ? null : edge.endpoint()) + ", " + s3 + ", " + dynamo + "]";
  }
}
