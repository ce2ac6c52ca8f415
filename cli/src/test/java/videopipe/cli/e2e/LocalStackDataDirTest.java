package videopipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import videopipe.cli.local.LocalStack;
import videopipe.localstack.SdkProperties;

/**
 * {@code videopipe local up --data DIR}: a second start on the same directory finds the bucket and
 * the catalog table where the first left them, objects and items included, instead of failing to
 * create them again or starting empty. Both stacks are reached as a developer's tools reach them:
 * default-chain SDK clients, whose endpoint is the edge.
 */
class LocalStackDataDirTest {

  @TempDir
  Path data;

  @Test
  void aSecondStartOnTheSameDataKeepsObjectsAndItems() throws Exception {
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("kept").withDataDir(data);
    try (LocalStack first = LocalStack.start(options);
         DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(System.getProperty(SdkProperties.DYNAMODB_ENDPOINT)).isEqualTo(first.edgeEndpoint().toString());
      first.s3Client().putObject(b -> b.bucket(first.bucket()).key("uploads/alice/v1/source"),
          RequestBody.fromString("kept bytes"));
      dynamo.putItem(b -> b.tableName(first.tableName()).item(Map.of("videoId", AttributeValue.fromS("v1"),
          "status", AttributeValue.fromS("READY"))));
    }

    try (LocalStack second = LocalStack.start(options);
         DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(second.s3Client().getObjectAsBytes(b -> b.bucket(second.bucket()).key("uploads/alice/v1/source"))
          .asUtf8String()).isEqualTo("kept bytes");
      assertThat(dynamo.getItem(b -> b.tableName(second.tableName())
          .key(Map.of("videoId", AttributeValue.fromS("v1")))).item())
          .containsEntry("status", AttributeValue.fromS("READY"));
    }
  }

  @Test
  void printsTheEdgeAsTheOneEndpointToExport() throws Exception {
    String before = System.getProperty(SdkProperties.S3_ENDPOINT);
    try (LocalStack stack = LocalStack.start(LocalStack.Options.of(FunctionsJar.path()).withStackName("env"))) {
      assertThat(stack.environment())
          .containsEntry("AWS_ENDPOINT_URL", stack.edgeEndpoint().toString())
          .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION")
          .doesNotContainKey("AWS_ENDPOINT_URL_S3");
      assertThat(System.getProperty(SdkProperties.S3_ENDPOINT)).isEqualTo(stack.edgeEndpoint().toString());
    }
    assertThat(System.getProperty(SdkProperties.S3_ENDPOINT)).isEqualTo(before);
  }
}
