package videopipe.localstack.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Over plain HTTP the SDK sends a PUT's body {@code aws-chunked}, and S3Proxy answers once it has
 * the decoded bytes, before the final chunk has arrived. Its connection must survive that: before
 * {@link RequestBodyDrainFilter}, Jetty closed it under a client still writing the last chunk, the
 * client took the stored PUT for a failure and sent it again (2 to 5 % of PUTs here).
 *
 * <p>The client below holds the last bytes of every body back for a moment, as a client thread
 * that loses the CPU there does, so the race happens every time; retries are off, so a lost answer
 * fails the test instead of being hidden by a second write.
 */
class ChunkedUploadConnectionTest {

  private static final int TAIL_BYTES = 24;
  private static final Duration PAUSE = Duration.ofMillis(150);

  private static S3Emulator s3;
  private static S3Client client;
  private static final AtomicInteger attempts = new AtomicInteger();

  @BeforeAll
  static void start() {
    s3 = S3Emulator.start(S3Emulator.Options.inMemory());
    client = S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true)
        .httpClient(new SlowTailHttpClient(UrlConnectionHttpClient.create()))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())
            .addExecutionInterceptor(new ExecutionInterceptor() {
              @Override
              public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                attempts.incrementAndGet();
              }
            }))
        .build();
    client.createBucket(b -> b.bucket("chunked"));
  }

  @AfterAll
  static void stop() {
    client.close();
    s3.close();
  }

  @Test
  void answersEveryChunkedPutOnceOnAConnectionThatStaysOpen() {
    attempts.set(0);

    for (int i = 0; i < 8; i++) {
      int n = i;
      byte[] body = new byte[1000 + n * 20_000];
      client.putObject(b -> b.bucket("chunked").key("k" + n).ifNoneMatch("*").contentType("video/mp4"),
          RequestBody.fromBytes(body));
      assertThat(client.headObject(b -> b.bucket("chunked").key("k" + n)).contentLength()).isEqualTo(body.length);
    }

    // Eight PUTs and eight HEADs, each sent once: no answer was lost, nothing was written twice.
    assertThat(attempts.get()).isEqualTo(16);
  }

  /** Sends each request body but its last {@link #TAIL_BYTES} bytes, pauses, then sends those. */
  private static final class SlowTailHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;

    SlowTailHttpClient(SdkHttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      if (request.contentStreamProvider().isEmpty()) {
        return delegate.prepareRequest(request);
      }
      long length = request.httpRequest().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
      return delegate.prepareRequest(HttpExecuteRequest.builder()
          .request(request.httpRequest())
          .contentStreamProvider(() -> new SlowTail(request.contentStreamProvider().get().newStream(), length))
          .metricCollector(request.metricCollector().orElse(null))
          .build());
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private static final class SlowTail extends FilterInputStream {
    private final long pauseAt;
    private long position;
    private boolean paused;

    SlowTail(InputStream in, long length) {
      super(in);
      this.pauseAt = length > TAIL_BYTES ? length - TAIL_BYTES : Long.MAX_VALUE;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position == pauseAt && !paused) {
        paused = true;
        try {
          Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      long allowed = position < pauseAt ? Math.min(len, pauseAt - position) : len;
      int n = super.read(b, off, (int) allowed);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }
}
