package videopipe.cli.local;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.LocalKeys;
import videopipe.localstack.LocalServices;
import videopipe.localstack.Started;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.OpenApiDocument;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.lambda.LambdaServer;
import videopipe.localstack.eventbridge.Target;
import videopipe.localstack.lambda.EventInvokeConfig;
import videopipe.localstack.lambda.LocalLambda;
import videopipe.localstack.stepfunctions.StepFunctionsServer;
import videopipe.statemachines.StateMachineDefinitions;

/**
 * The whole pipeline on one machine, in memory: S3Proxy, dynalite, the local EventBridge, the Step
 * Functions server, the local MediaConvert, the local Lambda running the functions jar by path
 * (with the jar's function manifest) and the HTTP API gateway in front of the API functions.
 *
 * <p>What it creates, under a stack name ({@code local} by default): the media bucket, the catalog
 * table (with the jar's own {@code CatalogTable.create}), the project's bus, every function of the
 * manifest with the stack's environment, {@code video-ingest} from {@code statemachines/} with the
 * local function ARNs, and the EventBridge rules from the statemachines' patterns:
 * <ul>
 *   <li>{@code upload-object-created} on the default bus: StartExecution of video-ingest with the
 *       event as input;
 *   <li>{@code transcode-job-state-change} on the default bus: {@code transcodeCompleted};
 *   <li>{@code execution-failed} on the default bus, where the Step Functions server puts its
 *       {@code Execution Status Change} events: {@code recordFailure}.
 * </ul>
 * Each rule's target has a dead-letter queue for what EventBridge could not deliver, and the
 * asynchronously invoked functions an on-failure queue ({@code <stack>-<function>-failures}).
 * ({@code transcription-job-state-change} is not wired: there is no local Transcribe.)
 *
 * <p>Uploads start the pipeline by themselves, as on AWS: the media bucket has EventBridge
 * notifications on, and the local S3 puts its {@code Object Created} events on the default bus.
 *
 * <p>The services are {@link LocalServices}, the same the tests' {@code LocalAwsExtension} starts,
 * behind one edge port ({@link Options#edgePort}, 0 for any free one): the functions reach them
 * through the SDK's JVM-wide system properties ({@code aws.endpointUrlS3} etc.), which point at the
 * edge while the stack runs and are restored on close: one stack per JVM. With a data directory
 * ({@link Options#dataDir}), S3 and DynamoDB keep their data under it, and a second start on it
 * finds the bucket and the catalog table (and their objects and items) where the first left them,
 * and the keys too ({@link LocalKeys}): the AWS keys and the gateway's JWT issuer and signing key,
 * so that the keys exported and the tokens minted before a restart still work after it.
 */
public final class LocalStack implements AutoCloseable {

  public static final String ACCOUNT = LocalServices.ACCOUNT;
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> INGEST_FUNCTIONS =
      List.of("ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo");

  /**
   * What to start: the functions jar, the stack name, the ports (0: any free one), and where S3
   * and DynamoDB keep their data (null: in memory).
   */
  public record Options(Path functionsJar, String stackName, int gatewayPort, int lambdaPort, int edgePort,
      Path dataDir) {
    public static Options of(Path functionsJar) {
      return new Options(functionsJar, "local", 0, 0, 0, null);
    }

    public Options withStackName(String stackName) {
      return new Options(functionsJar, stackName, gatewayPort, lambdaPort, edgePort, dataDir);
    }

    public Options withGatewayPort(int port) {
      return new Options(functionsJar, stackName, port, lambdaPort, edgePort, dataDir);
    }

    public Options withEdgePort(int port) {
      return new Options(functionsJar, stackName, gatewayPort, lambdaPort, port, dataDir);
    }

    public Options withDataDir(Path dir) {
      return new Options(functionsJar, stackName, gatewayPort, lambdaPort, edgePort, dir);
    }
  }

  private final Options options;
  private final Started started = new Started("the local stack");
  private final Map<String, CompletableFuture<String>> executionsByKey = new ConcurrentHashMap<>();
  /**
   * Completed once the functions and the rules are deployed: executions and MediaConvert jobs read
   * back from the data directory wait for it, or a resumed task would call a function not yet
   * deployed, and a job's COMPLETE event would reach a bus with no rule for it yet.
   */
  private final CompletableFuture<Void> deployed = new CompletableFuture<>();
  private LocalServices services;
  /** Where the keys are kept (null: in memory), and the gateway's key kept there (null: none yet). */
  private LocalKeys keys;
  private LocalKeys.JwtKey keptJwtKey;
  private EventBridgeEmulator events;
  private LocalLambda lambda;
  private HttpApiGateway gateway;
  private S3Client s3Client;
  private SfnClient sfn;
  private String stateMachineArn;

  private LocalStack(Options options) {
    this.options = options;
  }

  /** Starts every service and deploys the stack; on failure, stops what started and rethrows. */
  public static LocalStack start(Options options) throws Exception {
    LocalStack stack = new LocalStack(options);
    try {
      stack.startServices();
      stack.deploy();
      stack.deployed.complete(null);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T keep(T service) {
    return started.keep(service);
  }

  private void startServices() throws Exception {
    if (options.dataDir() != null) {
      keys = LocalKeys.in(options.dataDir());
      keptJwtKey = keys.jwt().orElse(null); // read first: a damaged file fails the start before anything runs
    }
    lambda = keep(new LocalLambda(options.functionsJar(), region(), ACCOUNT));
    if (options.dataDir() != null) {
      // Lambda's asynchronous queue is durable: what waited for a retry runs once the functions are deployed again.
      lambda.keepAsyncInvocationsIn(options.dataDir().resolve("lambda"));
      deployed.thenRun(lambda::resumeAsyncInvocations);
    }
    services = keep(LocalServices.start(LocalServices.Options.defaults()
        .withEdgePort(options.edgePort())
        .withDataDir(options.dataDir())
        .withLambda(lambda, options.lambdaPort())
        .withSdkEndpoints(LocalServices.SdkEndpoints.EDGE)
        .withResumeAfter(deployed)));
    events = services.events();
    services.s3().sendEventsTo(events);
    s3Client = services.s3Client();
    sfn = keep(SfnClient.builder().endpointOverride(edgeEndpoint()).region(Region.of(region()))
        .credentialsProvider(credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build());
  }

  private void deploy() throws Exception {
    createBucketIfMissing();
    s3Client.putBucketNotificationConfiguration(b -> b.bucket(bucket())
        .notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
    createCatalogTableIfMissing();
    events.createBus(busName());
    lambda.deployAll(stackEnvironment());

    Map<String, String> arns = new LinkedHashMap<>();
    for (String f : INGEST_FUNCTIONS) {
      arns.put(f + "Arn", lambda.functionArn(Character.toLowerCase(f.charAt(0)) + f.substring(1)));
    }
    stateMachineArn = createOrUpdateStateMachine(StateMachineDefinitions.load("video-ingest", arns).json());

    // The rules as Pulumi declares them, each target with its dead-letter queue; a function that
    // fails for good on an asynchronous invocation goes to its own on-failure queue.
    lambda.destinations(events::deadLetterQueueForArn);
    for (String function : List.of("transcodeCompleted", "recordFailure")) {
      lambda.putFunctionEventInvokeConfig(function,
          EventInvokeConfig.DEFAULT.withOnFailure(events.deadLetterQueue(stackName() + "-" + function + "-failures")));
    }
    keep(events.putRule("default", stackName() + "-upload-object-created",
        StateMachineDefinitions.pattern("upload-object-created", Map.of("MediaBucket", bucket())),
        Target.of(stateMachineArn, this::startIngest)
            .withDeadLetterQueue(events.deadLetterQueue(stackName() + "-upload-object-created-dlq"))));
    keep(events.putRule("default", stackName() + "-transcode-job-state-change",
        StateMachineDefinitions.pattern("transcode-job-state-change", Map.of("StackName", stackName())),
        lambda.target("transcodeCompleted")
            .withDeadLetterQueue(events.deadLetterQueue(stackName() + "-transcode-job-state-change-dlq"))));
    keep(events.putRule("default", stackName() + "-execution-failed",
        StateMachineDefinitions.pattern("execution-failed", Map.of("VideoIngestArn", stateMachineArn)),
        lambda.target("recordFailure")
            .withDeadLetterQueue(events.deadLetterQueue(stackName() + "-execution-failed-dlq"))));

    OpenApiDocument api;
    try (JarFile jar = new JarFile(options.functionsJar().toFile());
         InputStream in = jar.getInputStream(jar.getEntry("api/openapi.yaml"))) {
      api = OpenApiDocument.read(in);
    }
    gateway = keep(HttpApiGateway.start(gatewayConfig(), api, lambda.integration()));
    if (keys != null && keptJwtKey == null) {
      keys.keep(new LocalKeys.JwtKey(gateway.issuer(), gateway.authorizer().signingKeyJwk()));
    }
  }

  /**
   * On a data directory that has them, the first start's issuer and signing key: the tokens minted
   * before a restart name that issuer (the first gateway's endpoint), whatever port this one has.
   */
  private HttpApiGateway.Config gatewayConfig() {
    HttpApiGateway.Config config = HttpApiGateway.Config.defaults().withPort(options.gatewayPort());
    return keptJwtKey == null ? config
        : config.withIssuer(keptJwtKey.issuer()).withSigningKeyJwk(keptJwtKey.signingKeyJwk());
  }

  /**
   * Creates video-ingest, or (a stack started again on its data directory, where the machine and
   * its executions are kept) updates it to this start's definition: the function ARNs are the same,
   * the definition may have changed.
   */
  private String createOrUpdateStateMachine(String definition) {
    String name = stackName() + "-video-ingest";
    String role = "arn:aws:iam::" + ACCOUNT + ":role/sfn";
    try {
      return sfn.createStateMachine(b -> b.name(name).roleArn(role).definition(definition)).stateMachineArn();
    } catch (StateMachineAlreadyExistsException e) {
      String arn = "arn:aws:states:" + region() + ":" + ACCOUNT + ":stateMachine:" + name;
      sfn.updateStateMachine(b -> b.stateMachineArn(arn).roleArn(role).definition(definition));
      return arn;
    }
  }

  /** A stack started on a data directory finds its bucket there, with its objects. */
  private void createBucketIfMissing() {
    try {
      s3Client.headBucket(b -> b.bucket(bucket()));
    } catch (NoSuchBucketException e) {
      s3Client.createBucket(b -> b.bucket(bucket()));
    }
  }

  /** A stack started on a data directory finds its catalog table there, with its items. */
  private void createCatalogTableIfMissing() throws Exception {
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(edgeEndpoint()).region(Region.of(region()))
        .credentialsProvider(credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build()) {
      dynamo.describeTable(b -> b.tableName(tableName()));
    } catch (ResourceNotFoundException e) {
      createCatalogTable(options.functionsJar(), tableName());
    }
  }

  /** The upload rule's target: StartExecution of video-ingest with the event as input, as the deployed rule does. */
  private void startIngest(String event) {
    JsonNode tree = JSON.readTree(event);
    String key = tree.path("detail").path("object").path("key").asString();
    String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(UUID.randomUUID().toString())
        .input(event)).executionArn();
    executionsByKey.computeIfAbsent(key, k -> new CompletableFuture<>()).complete(arn);
  }

  /**
   * Creates the catalog table with the jar's own {@code CatalogTable.create}, the schema Pulumi
   * declares too: called in a class loader of the jar, with a DynamoDB client of the jar's SDK
   * built from the default chain (the system properties this stack set).
   */
  static void createCatalogTable(Path functionsJar, String table) throws Exception {
    try (URLClassLoader loader = new URLClassLoader("functions-jar", new java.net.URL[] {functionsJar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> dynamoType = loader.loadClass("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
      Object client = dynamoType.getMethod("create").invoke(null);
      try {
        Method create = loader.loadClass("videopipe.functions.catalog.CatalogTable")
            .getMethod("create", dynamoType, String.class);
        create.invoke(null, client, table);
      } finally {
        ((AutoCloseable) client).close();
      }
    }
  }

  /** The stack's environment, of which each function gets the variables its manifest entry declares. */
  public Map<String, String> stackEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CATALOG_TABLE", tableName());
    env.put("EVENT_BUS_NAME", busName());
    env.put("UPLOAD_BUCKET", bucket());
    env.put("MEDIA_BUCKET", bucket());
    env.put("S3_FORCE_PATH_STYLE", "true");
    env.put("STACK_NAME", stackName());
    env.put("MEDIACONVERT_ROLE_ARN", "arn:aws:iam::" + ACCOUNT + ":role/mediaconvert");
    return env;
  }

  /** What a shell needs to reach this stack with the AWS SDKs and CLI: the edge for every service, the keys, the region. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", edgeEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", services.s3().accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", services.s3().secretKey());
    env.put("AWS_REGION", region());
    env.put("AWS_DEFAULT_REGION", region()); // the AWS CLI v1 reads only this one
    return env;
  }

  /** {@code http://127.0.0.1:<port>} of the edge: every service of the stack on one port. */
  public URI edgeEndpoint() {
    return services.edge().endpoint();
  }

  /** The execution the upload rule started for an object, once it has. */
  public CompletableFuture<String> executionFor(String key) {
    return executionsByKey.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /** A developer token for the HTTP API, signed by the gateway's authorizer. */
  public String mintToken(String user, Duration ttl) {
    return gateway.mintToken(user, ttl);
  }

  public String region() {
    return LocalServices.REGION;
  }

  public String stackName() {
    return options.stackName();
  }

  public String bucket() {
    return options.stackName() + "-media";
  }

  public String tableName() {
    return options.stackName() + "-catalog";
  }

  public String busName() {
    return options.stackName() + "-bus";
  }

  /** Where S3 and DynamoDB keep their data, or null when in memory. */
  public Path dataDir() {
    return options.dataDir();
  }

  /**
   * What the start could not read back from the data directory, one sentence each naming the file
   * and where it was kept aside (a journal cut short, a record that is not one); empty in memory or
   * when everything was read.
   */
  public List<String> dataDirProblems() {
    List<String> problems = new ArrayList<>();
    problems.addAll(services.stepFunctions().dataDirProblems());
    problems.addAll(services.events().dataDirProblems());
    problems.addAll(services.mediaConvert().dataDirProblems());
    problems.addAll(lambda.dataDirProblems());
    return List.copyOf(problems);
  }

  public String stateMachineArn() {
    return stateMachineArn;
  }

  public URI apiEndpoint() {
    return gateway.endpoint();
  }

  /** The HTTP API gateway (its JWT authorizer's issuer, audiences and signing key). */
  public HttpApiGateway gateway() {
    return gateway;
  }

  public LocalLambda lambda() {
    return lambda;
  }

  public LambdaServer lambdaServer() {
    return services.lambdaServer();
  }

  public EventBridgeEmulator eventBridge() {
    return events;
  }

  public StepFunctionsServer stepFunctions() {
    return services.stepFunctions();
  }

  public AwsCredentialsProvider credentialsProvider() {
    return services.credentialsProvider();
  }

  /** Path-style, signed with the stack's keys. Owned by the stack: do not close. */
  public S3Client s3Client() {
    return s3Client;
  }

  /** Owned by the stack: do not close. */
  public SfnClient sfnClient() {
    return sfn;
  }

  /** Stops everything it started, last first; the services give the system properties back their values. */
  @Override
  public void close() {
    started.close();
  }
}
