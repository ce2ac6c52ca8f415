package videopipe.localstack.junit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real S3 and DynamoDB for tests, on loopback, with no Docker and no account.
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class CatalogTest {
 *   @Test
 *   void refusesSecondClaim(LocalAws aws) {
 *     DynamoDbClient dynamo = aws.dynamoDbClient();      // or DynamoDbClient.create()
 *     dynamo.createTable(t -> t.tableName(aws.tableName())...);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>The emulators (S3Proxy with authentication on, dynalite) start once per run, on first use,
 * however many test classes run in parallel: the root store computes them once and closes them,
 * as {@link AutoCloseable}, when the run ends. Starting them also sets the SDK's system
 * properties ({@code aws.endpointUrlS3}, {@code aws.endpointUrlDynamoDb}, {@code aws.accessKeyId},
 * {@code aws.secretAccessKey}, {@code aws.region}), so code that builds its clients from the
 * default chains, as a Lambda function does, reaches them unchanged; they are restored at the end.
 *
 * <p>Each top-level test class gets a {@link LocalAws} of its own, injected into constructors,
 * lifecycle methods and tests alike (its {@code @Nested} classes share it): a bucket created for
 * it, and a table name unique in the run, for a table the test creates with its own schema. Tests
 * of one class share the bucket, so they use distinct keys.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(LocalAwsExtension.class);

  /** Starts the emulators before the class's own {@code @BeforeAll}, which may rely on them. */
  @Override
  public void beforeAll(ExtensionContext context) {
    localAws(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalAws.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return localAws(extensionContext);
  }

  private static LocalAws localAws(ExtensionContext context) {
    LocalStackRun run = context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(LocalStackRun.class, k -> LocalStackRun.start(), LocalStackRun.class);
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(NAMESPACE)
        .computeIfAbsent(LocalAws.class, k -> run.forTestClass(classContext.getRequiredTestClass()), LocalAws.class);
  }

  /**
   * The context of the top-level test class the given context belongs to: the child of the engine
   * (root) context. {@code @Nested} classes share their enclosing class's {@link LocalAws}: JUnit
   * builds the enclosing instance anew for each nested test, and its constructor must receive the
   * same value there as in the enclosing class's own tests.
   */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getParent().flatMap(ExtensionContext::getParent).isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }
}
