package videopipe.cli.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.apigateway.HttpApiGateway;
import videopipe.localstack.apigateway.JwtAuthorizer;

/**
 * How the other commands find the running local stack: {@code videopipe local up} writes
 * {@code $VIDEOPIPE_HOME/local-stack.json} ({@code ~/.videopipe/} by default) and removes it on a
 * clean stop. It holds the local keys (the S3 credentials and the gateway's private JWK), so it is
 * created with mode 0600 in a 0700 folder, and written whole then moved into place, so that a
 * reader never sees half of it.
 *
 * <pre>{@code
 * {"format": "videopipe-local-stack/1", "pid": 4242, "startedAt": "...",
 *  "stackName": "local", "region": "us-east-1", "account": "000000000000",
 *  "endpoints": {"api": "http://127.0.0.1:..", "s3": "..", "dynamodb": "..", "eventbridge": "..",
 *                "mediaconvert": "..", "sfn": "..", "lambda": "..", "edge"?: ".."},
 *  "credentials": {"accessKeyId": "..", "secretAccessKey": ".."},
 *  "bucket": "local-media", "table": "local-catalog", "eventBus": "local-bus",
 *  "stateMachineArn": "arn:aws:states:...:stateMachine:local-video-ingest",
 *  "jwt": {"issuer": "..", "audience": "videopipe-local", "keyId": "..", "signingKey": {private JWK}}}
 * }</pre>
 *
 * <p>{@code endpoints} are the stack's {@code AWS_ENDPOINT_URL_<SERVICE>} variables, keyed by the
 * service in lower case, and {@code edge} for a bare {@code AWS_ENDPOINT_URL} (one port for every
 * service): a reader asks {@link #endpoint} for a service and falls back to {@code edge}. Readers
 * ignore fields they do not know, so the format can grow.
 */
public record StackFile(Path path, JsonNode json) {

  public static final String FILE_NAME = "local-stack.json";
  public static final String FORMAT = "videopipe-local-stack/1";
  static final String NOT_RUNNING = "no local stack is running: start it with ./videopipe local up";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** No stack file, or one whose stack does not answer: nothing to talk to. */
  public static final class NotRunning extends Exception {
    public NotRunning(String detail) {
      super(NOT_RUNNING + (detail == null ? "" : " (" + detail + ")"));
    }
  }

  /** {@code $VIDEOPIPE_HOME}, else {@code ~/.videopipe}. */
  public static Path defaultHome() {
    String home = System.getenv("VIDEOPIPE_HOME");
    return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".videopipe");
  }

  /** What the file says about a started stack. */
  public static ObjectNode describe(LocalStack stack) {
    ObjectNode json = LocalStack.JSON.createObjectNode();
    json.put("format", FORMAT);
    json.put("pid", ProcessHandle.current().pid());
    json.put("startedAt", Instant.now().toString());
    json.put("stackName", stack.stackName());
    json.put("region", stack.region());
    json.put("account", LocalStack.ACCOUNT);
    ObjectNode endpoints = json.putObject("endpoints");
    endpoints.put("api", stack.apiEndpoint().toString());
    Map<String, String> environment = stack.environment();
    environment.forEach((name, value) -> {
      if (name.equals("AWS_ENDPOINT_URL")) {
        endpoints.put("edge", value);
      } else if (name.startsWith("AWS_ENDPOINT_URL_")) {
        endpoints.put(name.substring("AWS_ENDPOINT_URL_".length()).toLowerCase(Locale.ROOT), value);
      }
    });
    ObjectNode credentials = json.putObject("credentials");
    credentials.put("accessKeyId", environment.get("AWS_ACCESS_KEY_ID"));
    credentials.put("secretAccessKey", environment.get("AWS_SECRET_ACCESS_KEY"));
    json.put("bucket", stack.bucket());
    json.put("table", stack.tableName());
    json.put("eventBus", stack.busName());
    json.put("stateMachineArn", stack.stateMachineArn());
    HttpApiGateway gateway = stack.gateway();
    ObjectNode jwt = json.putObject("jwt");
    jwt.put("issuer", gateway.issuer());
    jwt.put("audience", gateway.authorizer().audiences().iterator().next());
    jwt.put("keyId", gateway.authorizer().keyId());
    jwt.set("signingKey", LocalStack.JSON.readTree(gateway.authorizer().signingKeyJwk()));
    return json;
  }

  /**
   * Writes the stack file for {@code stack} under {@code home}; closing the handle removes it, if
   * it is still this stack's (another {@code local up} may have replaced it since).
   */
  public static Published publish(LocalStack stack, Path home) throws IOException {
    return publish(describe(stack), home);
  }

  static Published publish(ObjectNode json, Path home) throws IOException {
    if (!Files.isDirectory(home)) {
      // only a folder of our own making: $VIDEOPIPE_HOME may name one shared with other things
      Files.createDirectories(home);
      restrict(home, "rwx------");
    }
    Path file = home.resolve(FILE_NAME);
    Path temporary = home.resolve(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temporary);
    if (posix(home)) {
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(temporary);
    }
    try {
      Files.write(temporary, LocalStack.JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(json));
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return new Published(file, json.path("jwt").path("keyId").asString());
  }

  /** The written file; {@link #close} removes it if it still describes the same stack. */
  public record Published(Path file, String keyId) implements AutoCloseable {
    @Override
    public void close() {
      try {
        JsonNode now = LocalStack.JSON.readTree(Files.readAllBytes(file));
        if (keyId.equals(now.path("jwt").path("keyId").asString(null))) {
          Files.deleteIfExists(file);
        }
      } catch (NoSuchFileException e) {
        // already gone
      } catch (IOException | JacksonException e) {
        throw new IllegalStateException("cannot remove the stack file " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The stack file under {@code home}, if its stack answers: its API gateway serves the JWKS of the
   * key the file holds (so it is this stack, not whatever took the port since).
   */
  public static StackFile running(Path home) throws NotRunning {
    Path file = home.resolve(FILE_NAME);
    JsonNode json;
    try {
      json = LocalStack.JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new NotRunning(null);
    } catch (IOException e) {
      throw new NotRunning("cannot read " + file + ": " + e.getMessage());
    } catch (JacksonException e) {
      throw new NotRunning(file + " is not a stack file: " + e.getOriginalMessage());
    }
    if (!FORMAT.equals(json.path("format").asString(null))) {
      throw new NotRunning(file + " is not in format " + FORMAT);
    }
    StackFile stack = new StackFile(file, json);
    URI api = stack.apiEndpoint();
    String keyId = json.path("jwt").path("keyId").asString("");
    try {
      HttpResponse<String> jwks = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build().send(
          HttpRequest.newBuilder(api.resolve(HttpApiGateway.JWKS_PATH)).timeout(PROBE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (jwks.statusCode() != 200 || keyId.isEmpty() || !jwks.body().contains("\"" + keyId + "\"")) {
        throw new NotRunning("the stack file " + file + " is stale: " + api + " is another server");
      }
    } catch (IOException e) {
      throw new NotRunning("the stack file " + file + " is stale: " + api + " does not answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotRunning("interrupted");
    }
    return stack;
  }

  private String text(String field) {
    String value = json.path(field).asString(null);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("the stack file " + path + " has no " + field);
    }
    return value;
  }

  public String stackName() {
    return text("stackName");
  }

  public String region() {
    return text("region");
  }

  public String bucket() {
    return text("bucket");
  }

  public String stateMachineArn() {
    return text("stateMachineArn");
  }

  public URI apiEndpoint() {
    return endpoint("api");
  }

  /** The endpoint of {@code service} ({@code s3}, {@code sfn}, ...), else the edge endpoint. */
  public URI endpoint(String service) {
    JsonNode endpoints = json.path("endpoints");
    String value = endpoints.path(service).asString(null);
    if (value == null && !service.equals("api")) {
      value = endpoints.path("edge").asString(null);
    }
    if (value == null) {
      throw new IllegalStateException("the stack file " + path + " has no endpoint for " + service);
    }
    return URI.create(value);
  }

  public String accessKeyId() {
    return json.path("credentials").path("accessKeyId").asString("");
  }

  public String secretAccessKey() {
    return json.path("credentials").path("secretAccessKey").asString("");
  }

  /** A token the stack's gateway accepts, for {@code user}, valid from now for {@code ttl}. */
  public String mintToken(String user, Duration ttl) {
    JsonNode jwt = json.path("jwt");
    return JwtAuthorizer.mintToken(LocalStack.JSON.writeValueAsString(jwt.path("signingKey")),
        jwt.path("issuer").asString(), jwt.path("audience").asString(), user, ttl, Instant.now());
  }

  /** The file's permissions, for tests ({@code rw-------}). */
  static Set<PosixFilePermission> permissions(Path file) throws IOException {
    return Files.getPosixFilePermissions(file);
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void restrict(Path dir, String permissions) throws IOException {
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
    }
  }
}
