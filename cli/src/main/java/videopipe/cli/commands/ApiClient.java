package videopipe.cli.commands;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import videopipe.cli.local.LocalStack;

/**
 * The upload API as a creator calls it: JSON over HTTP with a bearer token, minted for the user
 * (and minted again before it gets old, so that a long {@code --wait} keeps going). A 429 or
 * 5xx (a throttled or overloaded function) is tried again, up to {@value #ATTEMPTS} times with
 * jittered back-off; any other answer than the expected status stops the command with the API's
 * own error body ({@code {"error","message","field"}}) verbatim.
 */
final class ApiClient {

  static final Duration TOKEN_TTL = Duration.ofHours(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http;
  private final URI endpoint;
  private final Function<Duration, String> mint;
  private String token;
  private Instant mintedAt = Instant.MIN;

  ApiClient(HttpClient http, URI endpoint, Function<Duration, String> mint) {
    this.http = http;
    this.endpoint = endpoint;
    this.mint = mint;
  }

  private synchronized String token() {
    Instant now = Instant.now();
    if (token == null || now.isAfter(mintedAt.plus(TOKEN_TTL.dividedBy(2)))) {
      token = mint.apply(TOKEN_TTL);
      mintedAt = now;
    }
    return token;
  }

  JsonNode get(String path, int expected) throws CommandError {
    return send("GET", path, null, expected);
  }

  JsonNode post(String path, Object body, int expected) throws CommandError {
    return send("POST", path, body, expected);
  }

  JsonNode delete(String path, int expected) throws CommandError {
    return send("DELETE", path, null, expected);
  }

  /** How many times a call is made when the API answers 429 or 5xx (a throttled or overloaded function). */
  static final int ATTEMPTS = 4;

  private JsonNode send(String method, String path, Object body, int expected) throws CommandError {
    for (int attempt = 1; ; attempt++) {
      try {
        return sendOnce(method, path, body, expected);
      } catch (Retryable e) {
        if (attempt == ATTEMPTS) {
          throw CommandError.failed(e.getMessage() + " (after " + ATTEMPTS + " attempts)");
        }
        try {
          // Full jitter over a doubling base: 0.5 s, 1 s, 2 s.
          Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 500L << (attempt - 1)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw CommandError.failed(method + " " + path + ": interrupted");
        }
      }
    }
  }

  /** An answer worth another attempt: 429 or 5xx. */
  private static final class Retryable extends Exception {
    Retryable(String message) {
      super(message, null, false, false);
    }
  }

  private JsonNode sendOnce(String method, String path, Object body, int expected) throws CommandError, Retryable {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(LocalStack.JSON.writeValueAsBytes(body)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CommandError.failed(method + " " + path + ": " + endpoint + " does not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CommandError.failed(method + " " + path + ": interrupted");
    }
    if (response.statusCode() != expected) {
      String said = method + " " + path + " answered " + response.statusCode() + ": " + response.body().strip();
      if (response.statusCode() == 429 || response.statusCode() >= 500) {
        throw new Retryable(said);
      }
      throw CommandError.failed(said);
    }
    if (response.body().isEmpty()) {
      return LocalStack.JSON.missingNode();
    }
    try {
      return LocalStack.JSON.readTree(response.body());
    } catch (JacksonException e) {
      throw CommandError.failed(method + " " + path + " answered " + response.statusCode() + " with no JSON: "
          + response.body().strip());
    }
  }
}
