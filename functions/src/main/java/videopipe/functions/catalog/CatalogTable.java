package videopipe.functions.catalog;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The catalog table's schema: one item per video keyed by {@code videoId}, and the owner index
 * ({@code ownerId}, {@code createdAt}) that lists a creator's videos newest first. Pulumi declares
 * the same schema; tests and the local stack create it with {@link #create}.
 */
public final class CatalogTable {

  public static final String PARTITION_KEY = "videoId";
  public static final String OWNER_INDEX = "byOwner";
  public static final String OWNER_KEY = "ownerId";
  public static final String OWNER_SORT_KEY = "createdAt";

  private CatalogTable() {}

  public static void create(DynamoDbClient dynamo, String tableName) {
    dynamo.createTable(CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attribute(PARTITION_KEY), attribute(OWNER_KEY), attribute(OWNER_SORT_KEY))
        .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(OWNER_INDEX)
            .keySchema(
                KeySchemaElement.builder().attributeName(OWNER_KEY).keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName(OWNER_SORT_KEY).keyType(KeyType.RANGE).build())
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
            .build())
        .build());
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }
}
