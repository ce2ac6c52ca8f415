package videopipe.localstack.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The catalog is built on single-item conditional writes and an owner index, so those are what
 * must hold against dynalite: a second claim refused, a GSI query answered, data kept on disk.
 */
class DynamoEmulatorTest {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static DynamoEmulator dynamo;
  private static DynamoDbClient client;

  @BeforeAll
  static void start() {
    dynamo = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
    client = client(dynamo);
  }

  @AfterAll
  static void stop() {
    client.close();
    dynamo.close();
  }

  static DynamoDbClient client(DynamoEmulator dynamo) {
    return DynamoDbClient.builder()
        .endpointOverride(dynamo.endpoint())
        .region(Region.of(dynamo.region()))
        // dynalite checks that requests are signed, not by whom
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The catalog's shape: videoId key, an owner index. */
  static String createVideosTable(DynamoDbClient client, String name) {
    client.createTable(t -> t.tableName(name)
        .keySchema(k -> k.attributeName("videoId").keyType(KeyType.HASH))
        .attributeDefinitions(
            a -> a.attributeName("videoId").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("ownerId").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("createdAt").attributeType(ScalarAttributeType.S))
        .globalSecondaryIndexes(g -> g.indexName("byOwner")
            .keySchema(k -> k.attributeName("ownerId").keyType(KeyType.HASH),
                k -> k.attributeName("createdAt").keyType(KeyType.RANGE))
            .projection(p -> p.projectionType(ProjectionType.ALL)))
        .billingMode("PAY_PER_REQUEST"));
    client.waiter().waitUntilTableExists(r -> r.tableName(name));
    return name;
  }

  static Map<String, AttributeValue> video(String id, String owner, String createdAt) {
    return Map.of("videoId", AttributeValue.fromS(id), "ownerId", AttributeValue.fromS(owner),
        "createdAt", AttributeValue.fromS(createdAt), "status", AttributeValue.fromS("AWAITING_UPLOAD"));
  }

  @Test
  void listensOnLoopbackOnTheReportedPort() {
    assertThat(dynamo.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(dynamo.endpoint()).hasPort(dynamo.port());
    assertThat(client.listTables().tableNames()).isNotNull();
  }

  @Test
  void refusesSecondConditionalPut() {
    String table = createVideosTable(client, "videos-" + TABLES.incrementAndGet());
    client.putItem(p -> p.tableName(table).item(video("v1", "u1", "2026-01-01")).conditionExpression("attribute_not_exists(videoId)"));

    assertThatThrownBy(() -> client.putItem(p -> p.tableName(table).item(video("v1", "u2", "2026-01-02"))
        .conditionExpression("attribute_not_exists(videoId)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(client.getItem(g -> g.tableName(table).key(Map.of("videoId", AttributeValue.fromS("v1")))).item())
        .containsEntry("ownerId", AttributeValue.fromS("u1"));
  }

  @Test
  void answersAQueryOnAGlobalSecondaryIndex() {
    String table = createVideosTable(client, "videos-" + TABLES.incrementAndGet());
    client.putItem(p -> p.tableName(table).item(video("v1", "u1", "2026-01-01")));
    client.putItem(p -> p.tableName(table).item(video("v2", "u2", "2026-01-02")));
    client.putItem(p -> p.tableName(table).item(video("v3", "u1", "2026-01-03")));

    List<String> ids = client.query(q -> q.tableName(table).indexName("byOwner")
            .keyConditionExpression("ownerId = :o").expressionAttributeValues(Map.of(":o", AttributeValue.fromS("u1")))
            .scanIndexForward(false))
        .items().stream().map(i -> i.get("videoId").s()).toList();

    assertThat(ids).containsExactly("v3", "v1");
  }

  @Test
  void keepsTablesAndItemsAcrossARestartOnDisk(@TempDir Path dir) {
    try (DynamoEmulator first = DynamoEmulator.start(DynamoEmulator.Options.onDisk(dir));
        DynamoDbClient c = client(first)) {
      createVideosTable(c, "videos");
      c.putItem(p -> p.tableName("videos").item(video("v1", "u1", "2026-01-01")));
    }

    try (DynamoEmulator second = DynamoEmulator.start(DynamoEmulator.Options.onDisk(dir));
        DynamoDbClient c = client(second)) {
      assertThat(c.getItem(g -> g.tableName("videos").key(Map.of("videoId", AttributeValue.fromS("v1")))).item())
          .containsEntry("ownerId", AttributeValue.fromS("u1"));
    }
  }

  @Test
  void endsTheNodeProcessOnClose() {
    DynamoEmulator own = DynamoEmulator.start(DynamoEmulator.Options.inMemory());
    ProcessHandle node = ProcessHandle.of(own.pid()).orElseThrow();
    assertThat(node.isAlive()).isTrue();

    own.close();

    assertThat(node.isAlive()).isFalse();
  }

  @Test
  void reportsTheChildsErrorWhenItCannotListen() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> DynamoEmulator.start(DynamoEmulator.Options.inMemory().withPort(taken.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code 1")
          .hasMessageContaining("EADDRINUSE");
    }
  }

  @Test
  void refusesASecondEmulatorOnTheSameDataDirectory(@TempDir Path dir) {
    try (DynamoEmulator first = DynamoEmulator.start(DynamoEmulator.Options.onDisk(dir))) {
      assertThatThrownBy(() -> DynamoEmulator.start(DynamoEmulator.Options.onDisk(dir)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot open its LevelDB store in " + dir)
          .hasMessageContaining("in use by another dynalite");
    }
  }

  @Test
  void namesNodeJsWhenNodeIsMissing() {
    assertThatThrownBy(() -> DynamoEmulator.start(DynamoEmulator.Options.inMemory().withNode("videopipe-no-such-node")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Node.js 20+ is required (https://nodejs.org); `videopipe-no-such-node` was not found on PATH");
  }

  @Test
  void namesTheFolderWhenDynaliteIsNotInstalled(@TempDir Path empty) {
    assertThatThrownBy(() -> DynamoEmulator.start(DynamoEmulator.Options.inMemory().withDynaliteHome(empty)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dynalite is not installed in " + empty)
        .hasMessageContaining("VIDEOPIPE_DYNALITE_HOME");
  }
}
