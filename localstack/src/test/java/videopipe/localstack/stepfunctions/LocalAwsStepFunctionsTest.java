package videopipe.localstack.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * Tests of other modules reach the run's Step Functions as the functions and the CLI will: a
 * default-chain SfnClient (aws.endpointUrlSfn, AWS_ENDPOINT_URL_SFN), with their own functions
 * routed in-process.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsStepFunctionsTest {

  @Test
  void servesStepFunctionsOnTheSdkEndpointProperty(LocalAws aws) throws Exception {
    assertThat(System.getProperty("aws.endpointUrlSfn")).isEqualTo(aws.stepFunctionsEndpoint().toString());
    assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_SFN", aws.stepFunctionsEndpoint().toString());

    String machineName = aws.tableName() + "-sm";
    String function = "arn:aws:lambda:us-east-1:000000000000:function:" + aws.tableName() + "-double";
    try (AutoCloseable routed = aws.stepFunctions().function(function,
            TaskInvoker.of(call -> Map.of("n", ((Number) ((Map<?, ?>) call.payload()).get("n")).intValue() * 2)));
         SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      String machine = sfn.createStateMachine(b -> b.name(machineName).roleArn("arn:aws:iam::000000000000:role/sfn")
          .definition("""
              {"StartAt": "Double", "States": {"Double": {"Type": "Task", "Resource": "%s", "End": true}}}"""
              .formatted(function))).stateMachineArn();
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"n\": 21}")).executionArn();
      DescribeExecutionResponse d;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      do {
        Thread.sleep(10);
        d = sfn.describeExecution(b -> b.executionArn(arn));
      } while (d.status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline);
      assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(d.output()).isEqualTo("{\"n\":42}");
    }
  }
}
