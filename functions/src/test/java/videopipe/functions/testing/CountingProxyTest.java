package videopipe.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.functions.testing.CountingProxy.Request;
import videopipe.functions.testing.CountingProxy.Tally;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * The read budget is only as good as its counter: the proxy must see every byte S3Proxy sends and
 * must flag a GET that does not bound its range, or the budget test and the benchmark pass blind.
 */
@ExtendWith(LocalAwsExtension.class)
class CountingProxyTest {

  private static final int SIZE = 1024 * 1024;
  private static final String KEY = "counting-proxy/object";

  private static LocalAws aws;
  private static CountingProxy proxy;
  private static S3Client s3;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    byte[] bytes = new byte[SIZE];
    new Random(7).nextBytes(bytes);
    aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key(KEY), RequestBody.fromBytes(bytes));
    proxy = CountingProxy.start(aws.s3Endpoint());
    s3 = S3Client.builder()
        .endpointOverride(proxy.endpoint())
        .region(Region.of(aws.region()))
        .credentialsProvider(aws.credentialsProvider())
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void tearDown() {
    s3.close();
    proxy.close();
  }

  @Test
  void countsTheBodyAndHeadersOfABoundedRange() {
    Tally before = proxy.tally();
    byte[] got = s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(KEY).range("bytes=100-4195")).asByteArray();
    Tally step = proxy.tally().since(before);
    assertThat(got).hasSize(4096);
    assertThat(step.bytesFromServer()).isGreaterThan(4096).isLessThan(4096 + 2048);
    assertThat(step.requests()).extracting(Request::brief).containsExactly("GET bytes=100-4195");
    assertThat(step.allBounded()).isTrue();
  }

  @Test
  void flagsAnOpenEndedRangeAndCountsAllItSent() {
    Tally before = proxy.tally();
    s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(KEY).range("bytes=0-"));
    Tally step = proxy.tally().since(before);
    assertThat(step.bytesFromServer()).isGreaterThan(SIZE);
    assertThat(step.allBounded()).isFalse();
  }

  @Test
  void flagsAGetWithoutRange() {
    Tally before = proxy.tally();
    s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(KEY));
    assertThat(proxy.tally().since(before).requests()).singleElement()
        .satisfies(r -> assertThat(r.bounded()).isFalse());
  }

  @Test
  void letsAHeadThroughAsBounded() {
    Tally before = proxy.tally();
    s3.headObject(b -> b.bucket(aws.bucket()).key(KEY));
    List<Request> requests = proxy.tally().since(before).requests();
    assertThat(requests).extracting(Request::method).containsExactly("HEAD");
    assertThat(requests.get(0).bounded()).isTrue();
  }

  @Test
  void closingEndsEveryConnection() throws Exception {
    try (CountingProxy own = CountingProxy.start(aws.s3Endpoint());
         S3Client client = S3Client.builder()
             .endpointOverride(own.endpoint())
             .region(Region.of(aws.region()))
             .credentialsProvider(aws.credentialsProvider())
             .forcePathStyle(true)
             .httpClient(UrlConnectionHttpClient.create())
             .build()) {
      client.headObject(b -> b.bucket(aws.bucket()).key(KEY));
      own.close();
      own.awaitIdle(Duration.ofSeconds(10));
    }
  }
}
