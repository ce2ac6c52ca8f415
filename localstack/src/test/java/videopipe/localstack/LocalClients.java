package videopipe.localstack;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * An AWS SDK client of one local service, as the tests build them: at its endpoint, in us-east-1,
 * with any keys (the service checks none), over the URL-connection client the stack uses.
 */
public final class LocalClients {

  private LocalClients() {}

  /** {@code builder} set up for the service at {@code endpoint}, for a test to add to before it builds. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(B builder, URI endpoint) {
    return builder.endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create());
  }

  /** The client {@code builder} builds for the service at {@code endpoint}. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C at(B builder, URI endpoint) {
    return configured(builder, endpoint).build();
  }
}
