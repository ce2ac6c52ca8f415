package videopipe.localstack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which service a request reaches, by its protocol's markers alone. */
class RoutingTest {

  @Test
  void routesTheJsonProtocolsByTheirTarget() {
    assertThat(Routing.route("/", "DynamoDB_20120810.PutItem")).isEqualTo(Service.DYNAMODB);
    assertThat(Routing.route("/", "AWSStepFunctions.StartExecution")).isEqualTo(Service.STEP_FUNCTIONS);
    assertThat(Routing.route("/", "AWSEvents.PutEvents")).isEqualTo(Service.EVENTBRIDGE);
  }

  @Test
  void routesLambdasApisAndItsFaultSwitchToLambda() {
    assertThat(Routing.route("/2015-03-31/functions/validateUpload/invocations", null)).isEqualTo(Service.LAMBDA);
    assertThat(Routing.route("/2015-03-31/functions/", null)).isEqualTo(Service.LAMBDA);
    assertThat(Routing.route("/2019-09-25/functions/f/event-invoke-config", null)).isEqualTo(Service.LAMBDA);
    assertThat(Routing.route("/_videopipe/faults/validateUpload", null)).isEqualTo(Service.LAMBDA);
  }

  @Test
  void routesMediaConvertsRestPaths() {
    assertThat(Routing.route("/2017-08-29/jobs?status=COMPLETE", null)).isEqualTo(Service.MEDIACONVERT);
  }

  @Test
  void sendsEverythingElseToS3() {
    assertThat(Routing.route("/local-media/uploads/a/2015-03-31/functions?uploads", null)).isEqualTo(Service.S3);
    assertThat(Routing.route("/", null)).isEqualTo(Service.S3);
    assertThat(Routing.route("http://127.0.0.1:4566/bucket/key", null)).isEqualTo(Service.S3);
    assertThat(Routing.route("/2015-03-31-videos/key", null)).isEqualTo(Service.S3);
  }

  @Test
  void refusesATargetNoLocalServiceServes() {
    assertThatThrownBy(() -> Routing.route("/", "Kinesis_20131202.PutRecord"))
        .isInstanceOfSatisfying(EdgeException.class,
            e -> assertThat(e.code).isEqualTo(EdgeException.Code.UnknownOperationException))
        .hasMessageContaining("Kinesis_20131202.PutRecord");
  }
}
