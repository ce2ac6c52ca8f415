package videopipe.cli.commands;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import videopipe.cli.local.StackFile;

/** The SDK's Step Functions client for the stack's endpoint, region and keys. */
final class Sfn {

  private Sfn() {}

  static SfnClient client(StackFile stack) {
    return SfnClient.builder().endpointOverride(stack.endpoint("sfn")).region(Region.of(stack.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(stack.accessKeyId(), stack.secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
