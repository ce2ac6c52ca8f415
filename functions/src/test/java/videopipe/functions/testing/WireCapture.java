package videopipe.functions.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A request exactly as the real SDK client marshals it (method, path, JSON body), taken in the
 * SDK's own {@code beforeTransmission} hook and never sent: for unit tests of a request's shape
 * against a service's API reference where there is no local service to send it to (Transcribe), or
 * where sending is beside the point. Nothing answers, so nothing is faked.
 */
public final class WireCapture {

  /** What the SDK would have sent. */
  public record Request(String method, String path, String target, String body) {}

  private WireCapture() {}

  /** Builds a client from {@code builder}, makes the call with it, and returns the request it marshalled. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> Request of(
      B builder, Consumer<C> call) {
    Request[] captured = new Request[1];
    ExecutionInterceptor capture = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String body = context.requestBody().map(b -> {
          try (InputStream in = b.contentStreamProvider().newStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).orElse("");
        captured[0] = new Request(context.httpRequest().method().name(), context.httpRequest().encodedPath(),
            context.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null), body);
        throw new Captured();
      }
    };
    try (C client = builder
        .endpointOverride(URI.create("http://127.0.0.1:9"))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.addExecutionInterceptor(capture).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build()) {
      call.accept(client);
    } catch (RuntimeException e) {
      if (captured[0] == null) {
        throw e;
      }
    }
    if (captured[0] == null) {
      throw new AssertionError("the call sent no request");
    }
    return captured[0];
  }

  private static final class Captured extends RuntimeException {
    Captured() {
      super("captured before transmission", null, false, false);
    }
  }
}
