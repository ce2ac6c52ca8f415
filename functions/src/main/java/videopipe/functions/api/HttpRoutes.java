package videopipe.functions.api;

import java.util.function.Function;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * What every route does before and after its own work: finds the caller in the claims the JWT
 * authorizer verified (nothing else identifies a caller; no claims, no access), renders a refused
 * request as the error body, and hands the response to Spring Cloud Function in the one form its
 * AWS adapter passes through to API Gateway.
 */
final class HttpRoutes {

  /** A route's own work, for a caller already identified. */
  @FunctionalInterface
  interface Route {
    HttpApiResponse handle(String ownerId, HttpApiRequest request);
  }

  private HttpRoutes() {}

  static Function<HttpApiRequest, HttpApiResponse> authenticated(Route route) {
    return request -> {
      try {
        if (request == null) {
          throw ApiError.UNAUTHORIZED.because("no request");
        }
        String owner = request.subject().orElseThrow(() -> ApiError.UNAUTHORIZED.because(
            "the request carries no verified token subject; send 'Authorization: Bearer <token>'"));
        return route.handle(owner, request);
      } catch (ApiError.ApiException e) {
        return error(e);
      }
    };
  }

  static HttpApiResponse error(ApiError.ApiException e) {
    return HttpApiResponse.json(e.error().status(),
        JsonBody.JSON.writeValueAsString(new Responses.Error(e.error().name(), e.getMessage(), e.field())));
  }

  static HttpApiResponse ok(int status, Object body) {
    return HttpApiResponse.json(status, JsonBody.JSON.writeValueAsString(body));
  }

  /**
   * The response as a message. Spring Cloud Function's AWS adapter recognises an API Gateway event
   * (it has {@code routeKey} and {@code version}) and then builds the Lambda's answer itself:
   * {@code statusCode} from the message header of that name (else 200), {@code body} from the
   * payload, {@code headers} from every message header. A plain record returned instead would be
   * sent as the body of a 200. So the status and headers travel as message headers; the adapter
   * adds {@code id}, {@code timestamp}, {@code contentType} and {@code statusCode} headers of its
   * own, which are harmless.
   */
  static Message<byte[]> toMessage(HttpApiResponse response) {
    byte[] body = response.body() == null ? new byte[0]
        : response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    MessageBuilder<byte[]> message = MessageBuilder.withPayload(body).setHeader("statusCode", response.statusCode());
    response.headers().forEach(message::setHeader);
    return message.build();
  }
}
