package videopipe.functions;

import java.lang.reflect.Type;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import videopipe.functions.api.ApiFunctions;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.events.ExecutionStatusChangeEvent;
import videopipe.functions.events.VideoEvents;
import videopipe.functions.extract.ExtractMetadata;
import videopipe.functions.extract.ExtractRequest;
import videopipe.functions.extract.Extraction;
import videopipe.functions.failure.FailureRecord;
import videopipe.functions.failure.RecordFailure;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.publish.PublishRequest;
import videopipe.functions.publish.PublishVideo;
import videopipe.functions.publish.Published;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.validate.ContainerDetector;
import videopipe.functions.validate.ValidateRequest;
import videopipe.functions.validate.ValidateUpload;
import videopipe.functions.validate.Validation;

/**
 * The functions jar's one application. Every Lambda runs Spring Cloud Function's {@code
 * FunctionInvoker}, which starts this class and looks up the bean named by {@code
 * SPRING_CLOUD_FUNCTION_DEFINITION}.
 *
 * <p>Beans are registered functionally (no component scan, no reflection over configuration
 * classes), and lazily: only the bean a Lambda selects is built, with only the AWS clients it
 * uses. Both cut the cold start; see the README's benchmark.
 */
@SpringBootConfiguration
public class FunctionsApplication implements ApplicationContextInitializer<GenericApplicationContext> {

  public static void main(String[] args) {
    FunctionalSpringApplication.run(FunctionsApplication.class, args);
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    Supplier<Wiring> wiring = new Wiring.Lazy(context.getEnvironment()::getProperty);
    register(context, "validateUpload", ValidateRequest.class, Validation.class,
        () -> wiring.get().validateUpload());
    register(context, "extractMetadata", ExtractRequest.class, Extraction.class,
        () -> wiring.get().extractMetadata());
    register(context, "publishVideo", PublishRequest.class, Published.class,
        () -> wiring.get().publishVideo());
    register(context, "recordFailure", ExecutionStatusChangeEvent.class, FailureRecord.class,
        () -> wiring.get().recordFailure());
    // The upload API: one Lambda per route, payload format 2.0 in and out (see ApiFunctions).
    Supplier<ApiFunctions> api = new Wiring.Once<>(
        () -> new ApiFunctions(wiring.get().settings(), wiring.get().clients(), wiring.get().clock()));
    for (String name : ApiFunctions.NAMES) {
      context.registerBean(name, FunctionRegistration.class, () -> ApiFunctions.registration(name, api),
          (BeanDefinition definition) -> definition.setLazyInit(true));
    }
  }

  private static <I, O> void register(GenericApplicationContext context, String name, Class<I> in, Class<O> out,
      Supplier<Function<I, O>> bean) {
    Type type = FunctionTypeUtils.functionType(in, out);
    context.registerBean(name, FunctionRegistration.class,
        () -> new FunctionRegistration<>(bean.get(), name).type(type),
        (BeanDefinition definition) -> definition.setLazyInit(true));
  }

  /** How the beans are put together from the settings and the clients; one per container. */
  record Wiring(Settings settings, AwsClients clients, Clock clock) {

    Catalog catalog() {
      return new Catalog(clients.dynamo(), settings.catalogTable(), clock);
    }

    VideoEvents events() {
      return new VideoEvents(clients.events(), settings.eventBus());
    }

    ValidateUpload validateUpload() {
      return new ValidateUpload(catalog(), new SourceStore(clients.s3()), new ContainerDetector(),
          settings.maxUploadBytes(), settings.allowedContainers());
    }

    ExtractMetadata extractMetadata() {
      return new ExtractMetadata(catalog(), new SourceStore(clients.s3()), new VideoProbe(),
          settings.maxDurationSeconds());
    }

    PublishVideo publishVideo() {
      return new PublishVideo(catalog(), events());
    }

    RecordFailure recordFailure() {
      return new RecordFailure(catalog(), events());
    }

    /** Builds a value on first use, then keeps it: the API's presigner and clients, once per container. */
    static final class Once<T> implements Supplier<T> {
      private final Supplier<T> factory;
      private T value;

      Once(Supplier<T> factory) {
        this.factory = factory;
      }

      @Override
      public synchronized T get() {
        if (value == null) {
          value = factory.get();
        }
        return value;
      }
    }

    /** Reads the environment on first use, so a missing variable fails the start naming it. */
    static final class Lazy implements Supplier<Wiring> {
      private final java.util.function.UnaryOperator<String> environment;
      private Wiring wiring;

      Lazy(java.util.function.UnaryOperator<String> environment) {
        this.environment = environment;
      }

      @Override
      public synchronized Wiring get() {
        if (wiring == null) {
          Settings settings = Settings.from(environment);
          wiring = new Wiring(settings, new AwsClients(settings), Clock.systemUTC());
        }
        return wiring;
      }
    }
  }
}
