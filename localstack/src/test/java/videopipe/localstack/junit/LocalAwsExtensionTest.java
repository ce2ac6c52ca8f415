package videopipe.localstack.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The functions build their clients from the SDK's default chains and are configured by endpoint
 * alone; their tests must reach the emulators that way, with no test-only wiring in the code.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsExtensionTest {

  private final LocalAws injectedInConstructor;

  LocalAwsExtensionTest(LocalAws aws) {
    this.injectedInConstructor = aws;
  }

  @Test
  void givesTheClassAnExistingBucket(LocalAws aws) {
    assertThat(aws.s3Client().listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(aws.bucket()));
  }

  @Test
  void givesTheSameValueToEveryTestOfTheClass(LocalAws aws) {
    assertThat(aws).isSameAs(injectedInConstructor);
  }

  @Test
  void startsTheEmulatorsOncePerRun() {
    assertThat(LocalStackRun.starts()).isEqualTo(1);
  }

  @Test
  void setsTheSdkSystemPropertiesToThisRunsEmulators(LocalAws aws) {
    assertThat(System.getProperty("aws.endpointUrlS3")).isEqualTo(aws.s3Endpoint().toString());
    assertThat(System.getProperty("aws.endpointUrlDynamoDb")).isEqualTo(aws.dynamoDbEndpoint().toString());
    assertThat(System.getProperty("aws.accessKeyId")).isEqualTo(aws.accessKey());
    assertThat(System.getProperty("aws.secretAccessKey")).isEqualTo(aws.secretKey());
    assertThat(System.getProperty("aws.region")).isEqualTo("us-east-1");
  }

  @Test
  void letsDefaultChainS3ClientsReachTheEmulator(LocalAws aws) {
    try (S3Client s3 = S3Client.create()) {
      s3.putObject(b -> b.bucket(aws.bucket()).key("uploads/u1/v1/source"), RequestBody.fromString("hello"));

      assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key("uploads/u1/v1/source")).asUtf8String())
          .isEqualTo("hello");
    }
  }

  @Test
  void letsDefaultChainPresignersSignUrlsForTheEmulator(LocalAws aws) {
    try (S3Presigner presigner = S3Presigner.create()) {
      URL url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket(aws.bucket()).key("k"))).url();

      assertThat(url.toString()).startsWith(aws.s3Endpoint() + "/" + aws.bucket() + "/k?");
    }
  }

  @Test
  void letsDefaultChainDynamoDbClientsReachTheEmulator(LocalAws aws) {
    try (DynamoDbClient dynamo = DynamoDbClient.create()) {
      String table = aws.uniqueTableName("default-chain");
      dynamo.createTable(t -> t.tableName(table)
          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
          .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
          .billingMode("PAY_PER_REQUEST"));

      assertThat(aws.dynamoDbClient().listTables().tableNames()).contains(table);
    }
  }

  @Test
  void givesUniqueValidTableNames(LocalAws aws) {
    assertThat(aws.tableName()).matches("[A-Za-z0-9_.-]{3,255}");
    assertThat(aws.uniqueTableName("a")).isNotEqualTo(aws.uniqueTableName("a")).isNotEqualTo(aws.tableName());
  }

  @Nested
  class NestedClass {

    private final LocalAws nestedConstructor;

    NestedClass(LocalAws aws) {
      this.nestedConstructor = aws;
    }

    @Test
    void sharesItsEnclosingClassesValue(LocalAws nested) {
      assertThat(nested).isSameAs(nestedConstructor).isSameAs(injectedInConstructor);
    }
  }
}
