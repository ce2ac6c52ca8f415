package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest is read out of the jar it describes, and refuses what Lambda would refuse. */
class FunctionManifestTest {

  private static FunctionManifest read(String json) throws Exception {
    return FunctionManifest.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsTheManifestOutOfTheJar(@TempDir Path dir) {
    FunctionManifest manifest = FunctionManifest.fromJar(FakeFunctionsJar.build(dir));

    assertThat(manifest.functions()).containsOnlyKeys("env", "echo", "mark", "fail", "sleep", "brokenInit");
    FunctionManifest.Function env = manifest.function("env");
    assertThat(env.environment()).containsExactly("CATALOG_TABLE");
    assertThat(env.timeoutSeconds()).isEqualTo(5);
    assertThat(env.memoryMb()).isEqualTo(512);
    assertThat(env.permissions()).containsExactly(
        new FunctionManifest.Permission(java.util.List.of("dynamodb:GetItem"), java.util.List.of("${CatalogTableArn}")));
    assertThat(manifest.function("sleep").reservedConcurrency()).isEqualTo(2);
  }

  @Test
  void refusesATimeoutLambdaWouldRefuse() {
    assertThatThrownBy(() -> read("{\"functions\":[{\"name\":\"f\",\"bean\":\"f\",\"timeoutSeconds\":901,\"memoryMb\":512}]}"))
        .hasMessageContaining("timeoutSeconds must be 1..900");
  }

  @Test
  void refusesAFunctionDeclaredTwice() {
    String f = "{\"name\":\"f\",\"bean\":\"f\",\"timeoutSeconds\":3,\"memoryMb\":512}";
    assertThatThrownBy(() -> read("{\"functions\":[" + f + "," + f + "]}")).hasMessageContaining("declared twice");
  }

  @Test
  void namesTheKnownFunctionsWhenAskedForAnother() throws Exception {
    FunctionManifest manifest = read("{\"functions\":[{\"name\":\"f\",\"bean\":\"f\",\"timeoutSeconds\":3,\"memoryMb\":512}]}");
    assertThatThrownBy(() -> manifest.function("g")).hasMessageContaining("[f]");
  }
}
