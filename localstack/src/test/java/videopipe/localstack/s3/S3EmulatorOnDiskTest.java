package videopipe.localstack.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.localstack.s3.S3EmulatorTest.randomBytes;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * `videopipe local` keeps its data between runs: what was uploaded yesterday, with the content type
 * and metadata the validator relies on, is still there after a restart on the same port and keys.
 */
class S3EmulatorOnDiskTest {

  @Test
  void keepsObjectsAndTheirMetadataAcrossARestart(@TempDir Path dir) {
    byte[] body = randomBytes(4096, 42);
    int port;
    String accessKey;
    String secretKey;
    try (S3Emulator first = S3Emulator.start(S3Emulator.Options.onDisk(dir));
        S3Client client = S3EmulatorTest.client(first, first.secretKey())) {
      client.createBucket(b -> b.bucket("media"));
      client.putObject(b -> b.bucket("media").key("uploads/u1/v1/source").contentType("video/mp4")
          .metadata(Map.of("owner", "u1")), RequestBody.fromBytes(body));
      port = first.port();
      accessKey = first.accessKey();
      secretKey = first.secretKey();
    }

    try (S3Emulator second = S3Emulator.start(S3Emulator.Options.onDisk(dir).withPort(port)
            .withCredentials(accessKey, secretKey));
        S3Client client = S3EmulatorTest.client(second, secretKey)) {
      ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("media").key("uploads/u1/v1/source"));

      assertThat(second.endpoint()).hasPort(port);
      assertThat(got.asByteArray()).isEqualTo(body);
      assertThat(got.response().contentType()).isEqualTo("video/mp4");
      assertThat(got.response().metadata()).containsEntry("owner", "u1");
    }
  }
}
