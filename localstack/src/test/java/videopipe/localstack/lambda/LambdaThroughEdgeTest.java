package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import videopipe.localstack.edge.EdgeServer;
import videopipe.localstack.edge.Service;
import videopipe.localstack.LocalClients;

/** The SDK's LambdaClient pointed at the edge reaches the Invoke API behind it unchanged. */
class LambdaThroughEdgeTest {

  @TempDir
  static Path dir;
  private static LocalLambda lambda;
  private static LambdaServer server;
  private static EdgeServer edge;
  private static LambdaClient client;

  @BeforeAll
  static void start() throws Exception {
    lambda = new LocalLambda(FakeFunctionsJar.build(dir), "us-east-1", "000000000000");
    lambda.deployAll(Map.of("CATALOG_TABLE", "videos"));
    server = LambdaServer.start(0, lambda);
    edge = EdgeServer.start(0, Map.of(Service.LAMBDA, server.endpoint()));
    client = LocalClients.at(LambdaClient.builder(), edge.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    edge.close();
    server.close();
    lambda.close();
  }

  @Test
  void invokesAFunctionThroughTheEdge() {
    InvokeResponse r = client.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("{\"via\":\"edge\"}")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.payload().asUtf8String()).isEqualTo("{\"via\":\"edge\"}");
  }

  @Test
  void carriesAFunctionErrorThroughTheEdge() {
    InvokeResponse r = client.invoke(b -> b.functionName("fail").payload(SdkBytes.fromUtf8String("{}")));

    assertThat(r.functionError()).isEqualTo("Unhandled");
  }
}
