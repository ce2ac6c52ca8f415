package videopipe.localstack.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Runs concurrently with {@link LocalAwsExtensionTest} (see junit-platform.properties): the
 * emulators must start once for both, or whichever class started second sees two runs (and the
 * system properties of the other's emulators).
 */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsParallelClassTest {

  @Test
  void sharesTheRunsEmulatorsWithOtherClasses(LocalAws aws) {
    assertThat(LocalStackRun.starts()).isEqualTo(1);
    assertThat(System.getProperty("aws.endpointUrlS3")).isEqualTo(aws.s3Endpoint().toString());
    assertThat(System.getProperty("aws.endpointUrlDynamoDb")).isEqualTo(aws.dynamoDbEndpoint().toString());
  }

  @Test
  void writesToItsOwnBucket(LocalAws aws) {
    aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key("mine"), RequestBody.fromString(aws.bucket()));

    assertThat(aws.s3Client().listObjectsV2(b -> b.bucket(aws.bucket())).contents())
        .singleElement().satisfies(o -> assertThat(o.key()).isEqualTo("mine"));
  }
}
