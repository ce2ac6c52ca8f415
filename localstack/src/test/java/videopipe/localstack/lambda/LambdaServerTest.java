package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import videopipe.localstack.LocalClients;

/**
 * The Invoke API as the AWS SDK's own {@code LambdaClient} speaks it: what a function answers,
 * {@code FunctionError} on a function error, 202 for an asynchronous call, the SDK's named
 * exceptions for Lambda's own errors.
 */
class LambdaServerTest {

  @TempDir
  static Path dir;
  private static LocalLambda lambda;
  private static LambdaServer server;
  private static LambdaClient client;

  @BeforeAll
  static void start() throws Exception {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir), "us-east-1", "000000000000");
    lambda.deployAll(Map.of("CATALOG_TABLE", "videos"));
    server = LambdaServer.start(0, lambda);
    client = LocalClients.at(LambdaClient.builder(), server.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    lambda.close();
  }

  @Test
  void answersWithTheFunctionsPayload() {
    InvokeResponse r = client.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("{\"a\":[1,2]}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.functionError()).isNull();
    assertThat(r.executedVersion()).isEqualTo("$LATEST");
    assertThat(r.payload().asUtf8String()).isEqualTo("{\"a\":[1,2]}");
  }

  @Test
  void takesTheFunctionsArn() {
    InvokeResponse r = client.invoke(b -> b.functionName(lambda.functionArn("echo")).payload(SdkBytes.fromUtf8String("{}")));
    assertThat(r.payload().asUtf8String()).isEqualTo("{}");
  }

  @Test
  void flagsAFunctionErrorAsUnhandled() {
    InvokeResponse r = client.invoke(b -> b.functionName("fail").payload(SdkBytes.fromUtf8String("{}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(r.payload().asUtf8String()).contains("\"errorType\":\"java.lang.IllegalArgumentException\"");
  }

  @Test
  void acceptsAnAsynchronousInvocation() {
    InvokeResponse r = client.invoke(b -> b.functionName("echo").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{}")));
    assertThat(r.statusCode()).isEqualTo(202);
  }

  @Test
  void throwsTheSdksExceptionForAnUnknownFunction() {
    assertThatThrownBy(() -> client.invoke(b -> b.functionName("nope").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404))
        .hasMessageContaining("function:nope");
  }

  @Test
  void throwsTheSdksExceptionForAPayloadThatIsNotJson() {
    assertThatThrownBy(() -> client.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("{nope"))))
        .isInstanceOf(InvalidRequestContentException.class);
  }
}
