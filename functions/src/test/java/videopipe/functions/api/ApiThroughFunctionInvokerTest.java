package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.functions.testing.FunctionInvocation.invoke;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import videopipe.functions.FunctionsApplication;
import videopipe.functions.catalog.CatalogTable;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * The API's beans as Lambda runs them behind API Gateway: Spring Cloud Function's own invoker,
 * payload 2.0 JSON in, and out exactly what API Gateway maps back to HTTP (status, headers, body),
 * which the adapter builds itself for API Gateway events. Also checks the OpenAPI document names
 * every bean with a payload 2.0 proxy integration, since API Gateway and the local gateway route by it.
 */
@ExtendWith(LocalAwsExtension.class)
class ApiThroughFunctionInvokerTest {

  private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

  @BeforeAll
  static void setUp(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    PROPERTIES.put("MAIN_CLASS", FunctionsApplication.class.getName());
    PROPERTIES.put("CATALOG_TABLE", aws.tableName());
    PROPERTIES.put("EVENT_BUS_NAME", "unused");
    PROPERTIES.put("UPLOAD_BUCKET", aws.bucket());
    PROPERTIES.put("S3_FORCE_PATH_STYLE", "true");
    PROPERTIES.forEach(System::setProperty);
  }

  @AfterAll
  static void tearDown() {
    PROPERTIES.keySet().forEach(System::clearProperty);
  }

  @Test
  void answersCreateUploadAsApiGatewayExpects() throws Exception {
    String owner = ApiFixture.newOwner();
    String event = ApiFixture.event("POST /uploads", "/uploads", null, null,
        "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":10}", owner);

    JsonNode out = invoke("createUpload", event);

    assertThat(out.path("statusCode").asInt()).isEqualTo(201);
    assertThat(out.path("headers").path("content-type").asString()).isEqualTo("application/json");
    assertThat(out.path("headers").has("authorization")).isFalse();
    JsonNode body = ApiFixture.JSON.readTree(out.path("body").asString());
    assertThat(body.path("upload").path("url").asString()).contains("/uploads/" + owner + "/");

    JsonNode get = invoke("getVideo", ApiFixture.event("GET /videos/{videoId}", "/videos/x",
        Map.of("videoId", body.path("videoId").asString()), null, null, owner));
    assertThat(get.path("statusCode").asInt()).isEqualTo(200);
  }

  @Test
  void answersErrorsWithTheirStatus() throws Exception {
    JsonNode unauthorized = invoke("listVideos", ApiFixture.event("GET /videos", "/videos", null, null, null, null));
    assertThat(unauthorized.path("statusCode").asInt()).isEqualTo(401);

    JsonNode bad = invoke("createUpload", ApiFixture.event("POST /uploads", "/uploads", null, null, "{", "alice"));
    assertThat(bad.path("statusCode").asInt()).isEqualTo(400);
    assertThat(ApiFixture.JSON.readTree(bad.path("body").asString()).path("error").asString())
        .isEqualTo("MALFORMED_JSON");

    JsonNode deleted = invoke("abortUpload", ApiFixture.event("DELETE /uploads/{videoId}", "/uploads/x",
        Map.of("videoId", "AAAAAAAAAAAAAAAAAAAAAA"), null, null, "alice"));
    assertThat(deleted.path("statusCode").asInt()).isEqualTo(404);
  }

  @Test
  void declaresEveryBeanInTheOpenApiDocument() throws Exception {
    String doc;
    try (InputStream in = FunctionsApplication.class.getResourceAsStream("/api/openapi.yaml")) {
      doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String name : videopipe.functions.api.ApiFunctions.NAMES) {
      String arn = "${" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "FunctionArn}";
      assertThat(doc).contains("operationId: " + name).contains("uri: \"" + arn + "\"");
    }
    assertThat(doc.split("payloadFormatVersion: \"2.0\"", -1)).hasSize(ApiFunctions.NAMES.size() + 1);
  }
}
