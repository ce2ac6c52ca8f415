package videopipe.localstack.mediaconvert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * Tests of other modules (the functions' submitTranscode) reach the local MediaConvert through
 * LocalAwsExtension as they reach S3: by the SDK's endpoint variables, with its events on the
 * run's default bus.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsMediaConvertTest {

  @Test
  void servesMediaConvertOnTheSdkEndpointProperty(LocalAws aws) {
    assertThat(System.getProperty("aws.endpointUrlMediaConvert")).isEqualTo(aws.mediaConvertEndpoint().toString());
    assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_MEDIACONVERT", aws.mediaConvertEndpoint().toString());
    MediaConvertWire.Reply r = new MediaConvertWire(aws.mediaConvertEndpoint()).send("POST", "/2017-08-29/endpoints", "{}");
    assertThat(r.body().path("endpoints").get(0).path("url").asString()).isEqualTo(aws.mediaConvertEndpoint().toString());
  }

  @Test
  void putsJobStateChangesOnTheRunsDefaultBus(LocalAws aws) throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    try (AutoCloseable sub = aws.eventBridge().subscribe("default",
        "{\"source\":[\"aws.mediaconvert\"],\"detail\":{\"status\":[\"ERROR\"],\"userMetadata\":{\"videoId\":[\"bus-test\"]}}}",
        got::add)) {
      String settings = MediaConvertEmulatorTest.ladder("uploads/none/source", "media/bus-test/")
          .replace("s3://media/", "s3://" + aws.bucket() + "/");
      MediaConvertWire api = new MediaConvertWire(aws.mediaConvertEndpoint());
      String id = api.createJob(MediaConvertEmulatorTest.request(settings, "").replace("video-1", "bus-test"))
          .path("id").asString();
      api.awaitStatus(id, Duration.ofSeconds(30), "ERROR", "COMPLETE");
      String event = got.poll(10, TimeUnit.SECONDS);
      assertThat(event).contains("\"jobId\":\"" + id + "\"", "\"errorCode\":1010", "MediaConvert Job State Change");
    }
  }
}
