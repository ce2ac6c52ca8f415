package videopipe.functions;

import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.transcribe.TranscribeClient;

/**
 * The AWS clients of one container, each built on first use and then shared (SDK clients are
 * thread-safe): a Lambda running {@code validateUpload} never pays for an EventBridge client.
 * Region, credentials and endpoints come from the SDK's default chains, so {@code
 * AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_DYNAMODB} and {@code AWS_ENDPOINT_URL_EVENTBRIDGE}
 * (or the {@code aws.endpointUrl*} system properties) point them at an emulator without a line of
 * code here knowing.
 */
public final class AwsClients {

  private final Supplier<S3Client> s3;
  private final Supplier<DynamoDbClient> dynamo;
  private final Supplier<EventBridgeClient> events;
  // MediaConvert no longer needs an account endpoint from DescribeEndpoints: the regional one (or
  // AWS_ENDPOINT_URL_MEDIACONVERT, the local stack's) takes every call.
  private final Supplier<MediaConvertClient> mediaConvert =
      Once.of(() -> MediaConvertClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
  private final Supplier<SfnClient> stepFunctions =
      Once.of(() -> SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
  private final Supplier<TranscribeClient> transcribe =
      Once.of(() -> TranscribeClient.builder().httpClient(UrlConnectionHttpClient.create()).build());

  public AwsClients(Settings settings) {
    this.s3 = Once.of(() -> S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .forcePathStyle(settings.s3PathStyle())
        .build());
    this.dynamo = Once.of(() -> DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
    this.events = Once.of(() -> EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
  }

  public S3Client s3() {
    return s3.get();
  }

  public DynamoDbClient dynamo() {
    return dynamo.get();
  }

  public EventBridgeClient events() {
    return events.get();
  }

  public MediaConvertClient mediaConvert() {
    return mediaConvert.get();
  }

  public SfnClient stepFunctions() {
    return stepFunctions.get();
  }

  public TranscribeClient transcribe() {
    return transcribe.get();
  }
}
