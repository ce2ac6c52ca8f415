package videopipe.cli.e2e;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shaded functions jar, as Pulumi deploys it ({@code functions/target/functions-*-aws.jar},
 * given by surefire as {@code videopipe.functions.jar}), and what the tests take from it without
 * compiling against it.
 */
public final class FunctionsJar {

  private FunctionsJar() {}

  public static Path path() {
    String property = System.getProperty("videopipe.functions.jar");
    if (property == null) {
      throw new IllegalStateException("videopipe.functions.jar is not set (run the tests through Maven)");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no functions jar at " + jar + ": run ./mvnw -pl functions package -DskipTests first");
    }
    return jar;
  }

  /**
   * Creates the catalog table with the jar's own {@code CatalogTable.create}, the schema Pulumi
   * declares too, rather than a copy of it here that could drift: called in a class loader of the
   * jar, with a DynamoDB client of the jar's SDK built from the default chain (the aws.* system
   * properties LocalAwsExtension set, which every class loader sees).
   */
  static void createCatalogTable(String table) throws Exception {
    try (URLClassLoader loader = new URLClassLoader("functions-jar", new java.net.URL[] {path().toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> dynamoType = loader.loadClass("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
      Object dynamo = dynamoType.getMethod("create").invoke(null);
      try {
        Method create = loader.loadClass("videopipe.functions.catalog.CatalogTable")
            .getMethod("create", dynamoType, String.class);
        create.invoke(null, dynamo, table);
      } finally {
        ((AutoCloseable) dynamo).close();
      }
    }
  }
}
