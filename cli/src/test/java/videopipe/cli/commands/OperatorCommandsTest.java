package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;
import videopipe.cli.local.LocalStack;
import videopipe.cli.local.StackFile;
import videopipe.localstack.lambda.LocalLambda;

/**
 * {@code videopipe local token}, {@code executions} and {@code redrive} against a running local
 * stack found through its stack file: a token minted in "another process" (from the file alone)
 * is one the gateway accepts and that sees only its user's videos; an operator finds a failed
 * execution, fixes the cause and redrives it to READY.
 */
class OperatorCommandsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dir;
  static Path home;
  static LocalStack stack;
  static PublishedStack published;
  static Path clip;

  @BeforeAll
  static void start() throws Exception {
    published = PublishedStack.start("opcmd", dir);
    stack = published.stack();
    home = published.home();
    clip = published.clip();
  }

  @AfterAll
  static void stop() throws Exception {
    if (published != null) {
      published.close();
    }
  }

  static Cli cli(String... argv) {
    return Cli.run(home, argv);
  }

  static String token(String user) {
    Cli token = cli("local", "token", "--user", user);
    assertThat(token.code()).as(token.toString()).isZero();
    return token.out().strip();
  }

  static HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiEndpoint().resolve(path))
        .header("Authorization", "Bearer " + token)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void localTokenIsAcceptedByTheGatewayForItsUserAndLifetime() throws Exception {
    Cli token = cli("local", "token", "--user", "alice", "--ttl", "10m");

    assertThat(token.code()).as(token.toString()).isZero();
    String jwt = token.out().strip();
    JsonNode claims = LocalStack.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    assertThat(claims.path("sub").asString()).isEqualTo("alice");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
    assertThat(claims.path("iss").asString()).isEqualTo(stack.gateway().issuer());
    HttpResponse<String> videos = api("GET", "/videos", jwt, null);
    assertThat(videos.statusCode()).as(videos.body()).isEqualTo(200);
  }

  @Test
  void aMintedTokenSeesOnlyItsOwnUsersVideos() throws Exception {
    HttpResponse<String> created = api("POST", "/uploads", token("erin"),
        "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1000}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String videoId = LocalStack.JSON.readTree(created.body()).path("videoId").asString();

    assertThat(api("GET", "/videos/" + videoId, token("erin"), null).statusCode()).isEqualTo(200);
    assertThat(api("GET", "/videos/" + videoId, token("frank"), null).statusCode()).isEqualTo(404);
    assertThat(api("GET", "/videos", token("frank"), null).body()).doesNotContain(videoId);
    assertThat(api("GET", "/videos", token("erin"), null).body()).contains(videoId);
  }

  @Test
  void videosFollowsTheCursorAcrossPages() throws Exception {
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> created = api("POST", "/uploads", token("henry"),
          "{\"fileName\":\"h" + i + ".mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1000}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      ids.add(LocalStack.JSON.readTree(created.body()).path("videoId").asString());
    }

    Cli list = cli("videos", "--user", "henry", "--page-size", "2");

    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(list.out().lines().filter(l -> l.contains("AWAITING_UPLOAD"))).hasSize(5);
    assertThat(list.out()).contains(ids);
  }

  @Test
  void executionsFollowsThePagesOfListExecutions() {
    java.util.List<String> started = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(stack.sfnClient().startExecution(b -> b.stateMachineArn(stack.stateMachineArn())
          .name("paging-" + java.util.UUID.randomUUID()).input("{}")).executionArn());
    }
    int listed = stack.sfnClient().listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(1000))
        .executions().size();

    Cli executions = cli("executions", "--page-size", "1");

    assertThat(executions.code()).as(executions.toString()).isZero();
    assertThat(executions.out()).contains(started);
    assertThat(executions.out().lines().filter(l -> l.contains(":execution:"))).hasSizeGreaterThanOrEqualTo(listed);
  }

  @Test
  void theStackFileDescribesTheRunningStack() throws Exception {
    StackFile file = StackFile.running(home);

    assertThat(file.apiEndpoint()).isEqualTo(stack.apiEndpoint());
    assertThat(stack.environment().get("AWS_ENDPOINT_URL")).isEqualTo(stack.edgeEndpoint().toString());
    for (String service : new String[] {"edge", "s3", "sfn", "dynamodb"}) {
      assertThat(file.endpoint(service)).as(service).isEqualTo(stack.edgeEndpoint());
    }
    assertThat(file.stateMachineArn()).isEqualTo(stack.stateMachineArn());
    assertThat(file.bucket()).isEqualTo(stack.bucket());
    assertThat(file.region()).isEqualTo(stack.region());
    assertThat(file.accessKeyId()).isEqualTo(stack.environment().get("AWS_ACCESS_KEY_ID"));
    assertThat(file.json().path("jwt").path("keyId").asString()).isEqualTo(stack.gateway().authorizer().keyId());
  }

  @Test
  void localUpRefusesToStartOverARunningStack() {
    Cli up = cli("local", "up");

    assertThat(up.code()).isEqualTo(1);
    assertThat(up.err()).isEqualTo("videopipe: a local stack is already running (" + stack.apiEndpoint()
        + ", stack file " + home.resolve("local-stack.json") + "): stop it first\n");
  }

  @Test
  void refusesBadTokenArguments() {
    Cli ttl = cli("local", "token", "--ttl", "soon");
    assertThat(ttl.code()).isEqualTo(2);
    assertThat(ttl.err()).isEqualTo("videopipe: --ttl must be a duration like 90s, 15m, 1h, 2d or PT1H30M, got 'soon'\n");

    Cli zero = cli("local", "token", "--ttl", "0m");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).isEqualTo("videopipe: --ttl must be positive, got '0m'\n");

    Cli extra = cli("local", "token", "alice");
    assertThat(extra.code()).isEqualTo(2);
    assertThat(extra.err()).startsWith("videopipe: local token takes no argument, got alice\nusage: videopipe");
  }

  @Test
  void everyCommandSaysSoWhenNoStackIsRunning() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-home"));
    for (String[] argv : new String[][] {{"local", "token"}, {"upload", clip.toString()}, {"videos"}, {"executions"},
        {"redrive", "arn:aws:states:us-east-1:000000000000:execution:x:y"}}) {
      Cli c = Cli.run(empty, argv);
      assertThat(c.code()).as(String.join(" ", argv)).isEqualTo(1);
      assertThat(c.err()).isEqualTo("videopipe: no local stack is running: start it with ./videopipe local up\n");
    }
  }

  @Test
  void anOperatorRedrivesAFailedExecutionToReadyAfterFixingItsCause() throws Exception {
    LocalLambda lambda = stack.lambda();
    Map<String, String> broken = new HashMap<>(stack.stackEnvironment());
    broken.put("CATALOG_TABLE", "opcmd-missing-table");
    lambda.deploy("publishVideo", lambda.manifest().functions().get("publishVideo"), broken);
    String videoId;
    String arn;
    try {
      Cli upload = cli("upload", clip.toString(), "--user", "gina");
      assertThat(upload.code()).as(upload.toString()).isZero();
      videoId = upload.lastLine();
      arn = stack.executionFor("uploads/gina/" + videoId + "/source").get(60, java.util.concurrent.TimeUnit.SECONDS);
      awaitExecution(arn, ExecutionStatus.FAILED);

      Cli failed = cli("executions", "--status", "FAILED");
      assertThat(failed.code()).as(failed.toString()).isZero();
      assertThat(failed.out()).containsPattern("FAILED +\\S+ +\\S+ +0 +" + java.util.regex.Pattern.quote(arn));
      assertThat(cli("executions", "--status", "succeeded").out()).doesNotContain(arn);
    } finally {
      lambda.deploy("publishVideo", lambda.manifest().functions().get("publishVideo"), stack.stackEnvironment());
    }

    Cli redrive = cli("redrive", arn);
    assertThat(redrive.code()).as(redrive.toString()).isZero();
    assertThat(redrive.out()).startsWith("redriven at ").endsWith(": " + arn + "\n");
    awaitExecution(arn, ExecutionStatus.SUCCEEDED);
    Cli video = cli("videos", videoId, "--user", "gina");
    assertThat(video.code()).as(video.toString()).isZero();
    assertThat(LocalStack.JSON.readTree(video.out()).path("status").asString()).isEqualTo("READY");
    assertThat(cli("executions").out()).containsPattern("SUCCEEDED +\\S+ +\\S+ +1 +" + java.util.regex.Pattern.quote(arn));

    Cli again = cli("redrive", arn);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("videopipe: RedriveExecution refused: ExecutionNotRedrivable: ");
  }

  @Test
  void redrivePrintsTheServicesErrorForAnUnknownExecution() {
    String arn = "arn:aws:states:" + stack.region() + ":000000000000:execution:opcmd-video-ingest:no-such-run";

    Cli c = cli("redrive", arn);

    assertThat(c.code()).isEqualTo(1);
    assertThat(c.err()).startsWith("videopipe: RedriveExecution refused: ExecutionDoesNotExist: ");
  }

  @Test
  void refusesBadOperatorArguments() {
    Cli status = cli("executions", "--status", "BROKEN");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.err()).startsWith("videopipe: --status must be one of ").endsWith(", got 'BROKEN'\n");

    Cli page = cli("videos", "--page-size", "101");
    assertThat(page.code()).isEqualTo(2);
    assertThat(page.err()).isEqualTo("videopipe: --page-size must be a whole number from 1 to 100, got '101'\n");

    Cli notArn = cli("redrive", "run-1");
    assertThat(notArn.code()).isEqualTo(2);
    assertThat(notArn.err()).startsWith("videopipe: 'run-1' is not an execution ARN");

    for (String[] argv : new String[][] {{"redrive"}, {"redrive", "a", "b"}, {"executions", "x"}}) {
      Cli c = cli(argv);
      assertThat(c.code()).as(String.join(" ", argv)).isEqualTo(2);
      assertThat(c.err()).contains("usage: videopipe");
    }
  }

  private static void awaitExecution(String arn, ExecutionStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    ExecutionStatus now;
    do {
      now = stack.sfnClient().describeExecution(b -> b.executionArn(arn)).status();
      if (now == status) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(arn + " is " + now + ", not " + status + " after 120 s");
  }
}
