package videopipe.cli.commands;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The requests the upload API presigns ({@code {url, method, headers}}), as the JDK's HTTP client
 * sends them: every signed header, but those the client sets itself from the request (it refuses
 * to be given them, and sends the same values: the length of the body, the host of the URL).
 */
public final class SignedRequests {

  private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host", "expect", "connection", "upgrade");

  private SignedRequests() {}

  /** A request for {@code signed} with {@code body}. */
  public static HttpRequest.Builder of(JsonNode signed, HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.path("url").asString()))
        .method(signed.path("method").asString("PUT"), body);
    signed.path("headers").properties().forEach(h -> {
      if (!SET_BY_CLIENT.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        request.header(h.getKey(), h.getValue().asString());
      }
    });
    return request;
  }
}
