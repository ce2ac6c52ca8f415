package videopipe.localstack.mediaconvert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MediaConvert REST JSON API spoken by hand. The SDK's {@code mediaconvert} module is not
 * served by the package registry this project builds from, so the tests send what its marshaller
 * sends, per the service model (aws-sdk-java-v2 {@code services/mediaconvert/.../service-2.json}):
 * camelCase members, {@code POST /2017-08-29/jobs} answering 201 with {@code {"job": ...}}, errors as
 * {@code x-amzn-ErrorType} plus {@code {"message"}}.
 */
final class MediaConvertWire {

  static final JsonMapper JSON = JsonMapper.builder().build();

  record Reply(int status, String errorType, JsonNode body) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  MediaConvertWire(URI endpoint) {
    this.endpoint = endpoint;
  }

  Reply send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("x-amzn-ErrorType").orElse(null),
          r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** CreateJob; returns the job. */
  JsonNode createJob(String requestJson) {
    Reply r = send("POST", "/2017-08-29/jobs", requestJson);
    if (r.status() != 201) {
      throw new AssertionError("CreateJob answered " + r);
    }
    return r.body().get("job");
  }

  JsonNode getJob(String id) {
    Reply r = send("GET", "/2017-08-29/jobs/" + id, null);
    if (r.status() != 200) {
      throw new AssertionError("GetJob answered " + r);
    }
    return r.body().get("job");
  }

  /** Polls GetJob until the job's status is one of {@code statuses}. */
  JsonNode awaitStatus(String id, Duration timeout, String... statuses) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode job = getJob(id);
    while (!Set.of(statuses).contains(job.path("status").asString())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " still " + job.path("status").asString() + " after " + timeout + ": " + job);
      }
      Thread.sleep(50);
      job = getJob(id);
    }
    return job;
  }
}
