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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.OpenApiDocument;
import videopipe.localstack.dynamodb.DynamoEmulator;
import videopipe.localstack.eventbridge.EventBridgeEmulator;
import videopipe.localstack.lambda.LambdaServer;
import videopipe.localstack.lambda.LocalLambda;
import videopipe.localstack.mediaconvert.MediaConvertEmulator;
import videopipe.localstack.s3.S3Emulator;
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
 *   <li>{@code execution-failed} ({@code recordFailure}) is <b>not</b> wired: the local Step
 *       Functions server does not emit {@code Step Functions Execution Status Change} events yet.
 * </ul>
 *
 * <p>Uploads start the pipeline by themselves, as on AWS: the media bucket has EventBridge
 * notifications on, and the local S3 puts its {@code Object Created} events on the default bus.
 *
 * <p>The functions reach the emulators through the SDK's JVM-wide system properties
 * ({@code aws.endpointUrlS3} etc.), which this class sets while it runs and restores on close: one
 * stack per JVM.
 */
public final class LocalStack implements AutoCloseable {

  public static final String ACCOUNT = "000000000000";
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> INGEST_FUNCTIONS =
      List.of("ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo");

  /** What to start: the functions jar, the stack name, the ports (0: any free one). */
  public record Options(Path functionsJar, String stackName, int gatewayPort, int lambdaPort) {
    public static Options of(Path functionsJar) {
      return new Options(functionsJar, "local", 0, 0);
    }

    public Options withStackName(String stackName) {
      return new Options(functionsJar, stackName, gatewayPort, lambdaPort);
    }

    public Options withGatewayPort(int port) {
      return new Options(functionsJar, stackName, port, lambdaPort);
    }
  }

  private final Options options;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, String> previousProperties = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<String>> executionsByKey = new ConcurrentHashMap<>();
  private S3Emulator s3;
  private DynamoEmulator dynamo;
  private EventBridgeEmulator events;
  private MediaConvertEmulator mediaConvert;
  private StepFunctionsServer stepFunctions;
  private LocalLambda lambda;
  private LambdaServer lambdaServer;
  private HttpApiGateway gateway;
  private AwsCredentialsProvider credentials;
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
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T keep(T service) {
    started.add(service);
    return service;
  }

  private void startServices() throws Exception {
    s3 = keep(S3Emulator.start(S3Emulator.Options.inMemory()));
    dynamo = keep(DynamoEmulator.start(DynamoEmulator.Options.inMemory()));
    events = keep(EventBridgeEmulator.start(0, region(), ACCOUNT));
    s3.sendEventsTo(events);
    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    s3Client = keep(S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(region()))
        .credentialsProvider(credentials).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build());
    mediaConvert = keep(MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults().withConcurrency(2),
        s3Client, MediaConvertEmulator.toEventBridge(events, "default")));
    lambda = keep(new LocalLambda(options.functionsJar(), region(), ACCOUNT));
    stepFunctions = keep(StepFunctionsServer.start(0, region(), ACCOUNT, lambda.taskInvoker()));
    setSystemProperties();
    lambdaServer = keep(LambdaServer.start(options.lambdaPort(), lambda));
    sfn = keep(SfnClient.builder().endpointOverride(stepFunctions.endpoint()).region(Region.of(region()))
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build());
  }

  private void setSystemProperties() {
    set("aws.endpointUrlS3", s3.endpoint().toString());
    set("aws.endpointUrlDynamoDb", dynamo.endpoint().toString());
    set("aws.endpointUrlEventBridge", events.endpoint().toString());
    set("aws.endpointUrlMediaConvert", mediaConvert.endpoint().toString());
    set("aws.endpointUrlSfn", stepFunctions.endpoint().toString());
    set("aws.accessKeyId", s3.accessKey());
    set("aws.secretAccessKey", s3.secretKey());
    set("aws.sessionToken", null);
    set("aws.region", region());
  }

  private void set(String name, String value) {
    previousProperties.putIfAbsent(name, System.getProperty(name));
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  private void deploy() throws Exception {
    s3Client.createBucket(b -> b.bucket(bucket()));
    s3Client.putBucketNotificationConfiguration(b -> b.bucket(bucket())
        .notificationConfiguration(n -> n.eventBridgeConfiguration(e -> {})));
    createCatalogTable(options.functionsJar(), tableName());
    events.createBus(busName());
    lambda.deployAll(stackEnvironment());

    Map<String, String> arns = new LinkedHashMap<>();
    for (String f : INGEST_FUNCTIONS) {
      arns.put(f + "Arn", lambda.functionArn(Character.toLowerCase(f.charAt(0)) + f.substring(1)));
    }
    String definition = StateMachineDefinitions.load("video-ingest", arns).json();
    stateMachineArn = sfn.createStateMachine(b -> b.name(stackName() + "-video-ingest")
        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/sfn").definition(definition)).stateMachineArn();

    keep(events.subscribe("default",
        StateMachineDefinitions.pattern("upload-object-created", Map.of("MediaBucket", bucket())),
        this::startIngest));
    keep(events.subscribe("default",
        StateMachineDefinitions.pattern("transcode-job-state-change", Map.of("StackName", stackName())),
        lambda.target("transcodeCompleted")));

    OpenApiDocument api;
    try (JarFile jar = new JarFile(options.functionsJar().toFile());
         InputStream in = jar.getInputStream(jar.getEntry("api/openapi.yaml"))) {
      api = OpenApiDocument.read(in);
    }
    gateway = keep(HttpApiGateway.start(HttpApiGateway.Config.defaults().withPort(options.gatewayPort()), api,
        lambda.integration()));
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

  /** What a shell needs to reach this stack with the AWS SDKs and CLI ({@code AWS_ENDPOINT_URL_S3} etc.). */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", events.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_MEDIACONVERT", mediaConvert.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaServer.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    env.put("AWS_REGION", region());
    return env;
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
    return S3Emulator.REGION;
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
    return lambdaServer;
  }

  public EventBridgeEmulator eventBridge() {
    return events;
  }

  public StepFunctionsServer stepFunctions() {
    return stepFunctions;
  }

  public AwsCredentialsProvider credentialsProvider() {
    return credentials;
  }

  /** Path-style, signed with the stack's keys. Owned by the stack: do not close. */
  public S3Client s3Client() {
    return s3Client;
  }

  /** Owned by the stack: do not close. */
  public SfnClient sfnClient() {
    return sfn;
  }

  /** Stops everything it started, last first, and gives the system properties back their values. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("stopping the local stack", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    started.clear();
    previousProperties.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
    previousProperties.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
