package videopipe.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import videopipe.functions.catalog.CatalogTable;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * SnapStart priming runs before Lambda snapshots a published version: it must exercise the real
 * request path (the catalog's client, validateUpload through the adapter) and change nothing, and
 * an on-demand Lambda must not even register it.
 */
@ExtendWith(LocalAwsExtension.class)
class SnapStartPrimingTest {

  @Test
  void primesValidateUploadThroughTheAdapterWithoutWritingAnything(LocalAws aws) {
    String table = aws.uniqueTableName("priming");
    CatalogTable.create(aws.dynamoDbClient(), table);
    try (ConfigurableApplicationContext context = start(table, "snap-start")) {
      String answer = context.getBean(SnapStartPriming.class).prime();

      assertThat(answer).contains("\"outcome\":\"REJECTED\"").contains("KEY_OUTSIDE_UPLOADS");
      assertThat(aws.dynamoDbClient().scan(b -> b.tableName(table)).count()).isZero();
    }
  }

  @Test
  void anOnDemandLambdaHasNoPrimingHook(LocalAws aws) {
    try (ConfigurableApplicationContext context = start(aws.uniqueTableName("on-demand"), "on-demand")) {
      assertThat(context.getBeanNamesForType(SnapStartPriming.class)).isEmpty();
    }
  }

  private static ConfigurableApplicationContext start(String table, String initializationType) {
    return FunctionalSpringApplication.run(FunctionsApplication.class,
        "--spring.main.web-application-type=none",
        "--spring.cloud.function.definition=validateUpload",
        "--AWS_LAMBDA_INITIALIZATION_TYPE=" + initializationType,
        "--CATALOG_TABLE=" + table,
        "--EVENT_BUS_NAME=priming",
        "--S3_FORCE_PATH_STYLE=true");
  }
}
