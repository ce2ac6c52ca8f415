package videopipe.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS SDK's JVM-wide system properties, set for as long as a local stack runs and given back
 * their previous values when it stops. Clients built from the default chains, as the functions
 * build theirs, then reach the local services exactly as they will reach them through {@code
 * AWS_ENDPOINT_URL_<SERVICE>}; system properties win over environment variables and profiles in
 * the SDK, so a developer's own AWS settings cannot leak in.
 *
 * <p>The names are the SDK's (2.57, read from its generated client builders and {@code
 * SdkSystemSetting}): a service's is {@code aws.endpointUrl} plus its client's name, so DynamoDB's
 * is spelled {@code aws.endpointUrlDynamoDb}, not {@code ...Dynamodb}.
 */
public final class SdkProperties implements AutoCloseable {

  /** Every service's, unless its own is set (AWS_ENDPOINT_URL). */
  public static final String ENDPOINT = "aws.endpointUrl";
  public static final String S3_ENDPOINT = "aws.endpointUrlS3";
  public static final String DYNAMODB_ENDPOINT = "aws.endpointUrlDynamoDb";
  public static final String EVENTBRIDGE_ENDPOINT = "aws.endpointUrlEventBridge";
  /** MediaConvertClient's name for AWS_ENDPOINT_URL_MEDIACONVERT (the client's name, as for DynamoDb). */
  public static final String MEDIACONVERT_ENDPOINT = "aws.endpointUrlMediaConvert";
  /** SfnClient's name for AWS_ENDPOINT_URL_SFN (read from DefaultSfnBaseClientBuilder, SDK 2.57). */
  public static final String SFN_ENDPOINT = "aws.endpointUrlSfn";
  public static final String LAMBDA_ENDPOINT = "aws.endpointUrlLambda";
  public static final String ACCESS_KEY_ID = "aws.accessKeyId";
  public static final String SECRET_ACCESS_KEY = "aws.secretAccessKey";
  /** Cleared while set: a session token would be sent along with the local keys. */
  public static final String SESSION_TOKEN = "aws.sessionToken";
  public static final String REGION = "aws.region";

  private final Map<String, String> previous = new LinkedHashMap<>();

  private SdkProperties() {}

  /** Sets each property to its value (null: cleared) until {@link #close()}. */
  public static SdkProperties set(Map<String, String> values) {
    SdkProperties scope = new SdkProperties();
    values.forEach((name, value) -> {
      scope.previous.putIfAbsent(name, System.getProperty(name));
      put(name, value);
    });
    return scope;
  }

  private static void put(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  /** Gives every property back the value it had before. */
  @Override
  public void close() {
    previous.forEach(SdkProperties::put);
    previous.clear();
  }
}
