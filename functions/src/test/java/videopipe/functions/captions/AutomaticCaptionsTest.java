package videopipe.functions.captions;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.transcribe.TranscribeClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Automatic captions as the SDK puts them on the wire to Amazon Transcribe (a loopback server
 * records each call and answers as Transcribe's API reference shows): there is no local
 * Transcribe, and a stack that does not enable it must say UNAVAILABLE, never invent a transcript.
 */
class AutomaticCaptionsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final List<String[]> calls = new ArrayList<>();
  private HttpServer server;
  private TranscribeClient client;

  /** Answers each call by its X-Amz-Target with (status, body). */
  private AutomaticCaptions enabled(Function<String, Map.Entry<Integer, String>> answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      calls.add(new String[] {target, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
      Map.Entry<Integer, String> answer = answers.apply(target);
      byte[] body = answer.getValue().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(answer.getKey(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    client = TranscribeClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    return AutomaticCaptions.enabled(() -> client, "media-bkt");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void isUnavailableWithAReasonWhenTheStackDoesNotEnableIt() {
    assertThat(AutomaticCaptions.disabled().request("v1", "b", "k")).isEqualTo(new Captions.Automatic("UNAVAILABLE",
        "automatic captions are disabled for this stack (TRANSCRIBE_CAPTIONS)"));
  }

  @Test
  void startsOneJobNamedAfterTheVideoWithWebVttSubtitlesBesideTheRenditions() throws IOException {
    AutomaticCaptions auto = enabled(target -> Map.entry(200,
        "{\"TranscriptionJob\":{\"TranscriptionJobName\":\"videopipe-v1\",\"TranscriptionJobStatus\":\"IN_PROGRESS\"}}"));
    assertThat(auto.request("v1", "uploads-bkt", "uploads/alice/v1/source").status()).isEqualTo("STARTED");
    assertThat(calls).singleElement().satisfies(c -> assertThat(c[0]).isEqualTo("Transcribe.StartTranscriptionJob"));
    JsonNode body = JSON.readTree(calls.get(0)[1]);
    assertThat(body.get("TranscriptionJobName").asString()).isEqualTo("videopipe-v1");
    assertThat(body.get("Media").get("MediaFileUri").asString()).isEqualTo("s3://uploads-bkt/uploads/alice/v1/source");
    assertThat(body.get("IdentifyLanguage").asBoolean()).isTrue();
    assertThat(body.get("Subtitles").get("Formats").get(0).asString()).isEqualTo("vtt");
    assertThat(body.get("Subtitles").get("OutputStartIndex").asInt()).isEqualTo(1);
    assertThat(body.get("OutputBucketName").asString()).isEqualTo("media-bkt");
    assertThat(body.get("OutputKey").asString()).isEqualTo("media/v1/captions/auto/");
  }

  @Test
  void aReRunReportsTheExistingJobInsteadOfStartingAnother() throws IOException {
    AutomaticCaptions auto = enabled(target -> target.endsWith("StartTranscriptionJob")
        ? Map.entry(400, "{\"__type\":\"ConflictException\",\"Message\":\"The requested job name already exists.\"}")
        : Map.entry(200, "{\"TranscriptionJob\":{\"TranscriptionJobName\":\"videopipe-v2\","
            + "\"TranscriptionJobStatus\":\"COMPLETED\"}}"));
    Captions.Automatic a = auto.request("v2", "b", "k");
    assertThat(a.status()).isEqualTo("COMPLETED");
    assertThat(a.reason()).contains("videopipe-v2");
    assertThat(calls).extracting(c -> c[0])
        .containsExactly("Transcribe.StartTranscriptionJob", "Transcribe.GetTranscriptionJob");
  }

  @Test
  void reportsAJobTranscribeRefusesWithoutFailingTheStep() throws IOException {
    AutomaticCaptions auto = enabled(target -> Map.entry(400,
        "{\"__type\":\"BadRequestException\",\"Message\":\"The media format provided does not match the detected media format.\"}"));
    Captions.Automatic a = auto.request("v3", "b", "k");
    assertThat(a.status()).isEqualTo("FAILED");
    assertThat(a.reason()).contains("media format");
  }
}
