package videopipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import videopipe.localstack.lambda.FunctionManifest;

/**
 * The manifest Pulumi and the local stack deploy from names every bean the jar can serve, each
 * under its own name, and nothing else: a bean missing from it would never be deployed, an entry
 * without a bean would deploy a Lambda that cannot start.
 */
class FunctionManifestMatchesJarTest {

  @Test
  void declaresExactlyTheJarsBeans() throws Exception {
    FunctionManifest manifest = FunctionManifest.fromJar(FunctionsJar.path());
    Set<?> beans;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {FunctionsJar.path().toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Field functions = loader.loadClass("videopipe.functions.FunctionsApplication").getDeclaredField("FUNCTIONS");
      functions.setAccessible(true);
      beans = (Set<?>) functions.get(null);
    }

    assertThat(manifest.functions().keySet()).containsExactlyInAnyOrderElementsOf(
        beans.stream().map(String::valueOf).toList());
    manifest.functions().values().forEach(f -> assertThat(f.bean()).isEqualTo(f.name()));
    manifest.functions().values().forEach(f -> assertThat(f.environment()).contains("CATALOG_TABLE", "EVENT_BUS_NAME"));
  }
}
