package videopipe.functions;

import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import videopipe.functions.api.ApiFunctions;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.events.EventBridgeEvent;
import videopipe.functions.events.ExecutionStatusChange;
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
 * classes), only those the Lambda selects, and lazily: a bean is built on its first lookup, with
 * only the AWS clients it uses. All of it cuts the cold start; see the README's benchmark.
 */
@SpringBootConfiguration
public class FunctionsApplication implements ApplicationContextInitializer<GenericApplicationContext> {

  /** Every bean this application can register: the pipeline's steps and the API's routes. */
  static final Set<String> FUNCTIONS = java.util.stream.Stream.concat(
          java.util.stream.Stream.of("validateUpload", "extractMetadata", "publishVideo", "recordFailure",
              "submitTranscode", "transcodeCompleted", "attachCaptions", "transcriptionCompleted"),
          ApiFunctions.NAMES.stream())
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  public static void main(String[] args) {
    FunctionalSpringApplication.run(FunctionsApplication.class, args);
  }

  @Override
  public void initialize(GenericApplicationContext context) {
    Supplier<Wiring> wiring = Wiring.lazy(context.getEnvironment()::getProperty);
    Predicate<String> wanted = selected(context.getEnvironment().getProperty("spring.cloud.function.definition"));
    register(context, wanted, "validateUpload", ValidateRequest.class, Validation.class,
        () -> wiring.get().validateUpload());
    register(context, wanted, "extractMetadata", ExtractRequest.class, Extraction.class,
        () -> wiring.get().extractMetadata());
    register(context, wanted, "publishVideo", PublishRequest.class, Published.class,
        () -> wiring.get().publishVideo());
    registerEventTarget(context, wanted, "recordFailure", ExecutionStatusChange.class, FailureRecord.class,
        () -> wiring.get().recordFailure());
    // The transcode and the captions (issue 7): submit with a task token, the job's state change
    // answers it; the sidecar captions in the parallel branch.
    register(context, wanted, "submitTranscode", videopipe.functions.transcode.TranscodeRequest.class,
        videopipe.functions.transcode.Submission.class, () -> wiring.get().submitTranscode());
    registerEventTarget(context, wanted, "transcodeCompleted", videopipe.functions.transcode.JobStateChange.class,
        videopipe.functions.transcode.Completion.class, () -> wiring.get().transcodeCompleted());
    register(context, wanted, "attachCaptions", videopipe.functions.captions.CaptionsRequest.class,
        videopipe.functions.captions.Captions.class, () -> wiring.get().attachCaptions());
    registerEventTarget(context, wanted, "transcriptionCompleted",
        videopipe.functions.captions.TranscriptionJobStateChange.class,
        videopipe.functions.captions.Captions.Automatic.class, () -> wiring.get().transcriptionCompleted());
    // The upload API: one Lambda per route, payload format 2.0 in and out (see ApiFunctions).
    Supplier<ApiFunctions> api = Once.of(
        () -> new ApiFunctions(wiring.get().settings(), wiring.get().clients(), wiring.get().clock()));
    for (String name : ApiFunctions.NAMES) {
      if (wanted.test(name)) {
        context.registerBean(name, FunctionRegistration.class, () -> ApiFunctions.registration(name, api),
            (BeanDefinition definition) -> definition.setLazyInit(true));
      }
    }
    // Lambda sets this during a SnapStart init only: prime before the snapshot (not lazy, so that
    // the hook is registered when the context starts).
    if ("snap-start".equals(context.getEnvironment().getProperty("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
      context.registerBean("snapStartPriming", SnapStartPriming.class,
          () -> new SnapStartPriming(context, wiring, wanted));
    }
  }

  /**
   * Which beans to register: those the definition names, when it names only ours (a Lambda's
   * {@code SPRING_CLOUD_FUNCTION_DEFINITION}, possibly composed with {@code |}); otherwise all.
   * SCF's function catalog instantiates every {@link FunctionRegistration} bean on its first
   * lookup, lazy or not, so a {@code validateUpload} Lambda also built {@code publishVideo}, {@code
   * recordFailure} and the EventBridge client they share, none of which it ever calls: about a
   * hundred SDK classes more to load in its cold start (see the cold-start benchmark).
   */
  static Predicate<String> selected(String definition) {
    if (definition == null || definition.isBlank()) {
      return name -> true;
    }
    Set<String> named = new HashSet<>(Arrays.asList(definition.trim().split("\\s*[|,;]\\s*")));
    return FUNCTIONS.containsAll(named) ? named::contains : name -> true;
  }

  private static <I, O> void register(GenericApplicationContext context, Predicate<String> wanted, String name,
      Class<I> in, Class<O> out, Supplier<Function<I, O>> bean) {
    registerTyped(context, wanted, name, in, out, bean);
  }

  /**
   * A function EventBridge invokes with an event whose detail is a {@code D}. SCF converts the
   * input to the registered type, so it must see {@code EventBridgeEvent<D>}: with the raw class,
   * Jackson fills {@code detail} with a Map and the function's first read of it throws.
   */
  private static <D, O> void registerEventTarget(GenericApplicationContext context, Predicate<String> wanted,
      String name, Class<D> detail, Class<O> out, Supplier<Function<EventBridgeEvent<D>, O>> bean) {
    registerTyped(context, wanted, name, ResolvableType.forClassWithGenerics(EventBridgeEvent.class, detail).getType(),
        out, bean);
  }

  private static void registerTyped(GenericApplicationContext context, Predicate<String> wanted, String name,
      Type in, Type out, Supplier<? extends Function<?, ?>> bean) {
    if (!wanted.test(name)) {
      return;
    }
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

    videopipe.functions.transcode.SubmitTranscode submitTranscode() {
      return new videopipe.functions.transcode.SubmitTranscode(catalog(),
          clients.mediaConvert(), clients.stepFunctions(), settings.ladder(),
          // Checked on first use, not here: without a definition SCF builds every function, and a
          // stack without MediaConvert must still run the others.
          new videopipe.functions.transcode.JobRequests.Target(settings.mediaConvertRole(),
              settings.mediaConvertQueue(), settings.mediaBucket(), settings.stackName()));
    }

    videopipe.functions.transcode.TranscodeCompleted transcodeCompleted() {
      return new videopipe.functions.transcode.TranscodeCompleted(catalog(), clients.stepFunctions());
    }

    videopipe.functions.captions.AttachCaptions attachCaptions() {
      return new videopipe.functions.captions.AttachCaptions(catalog(), clients.s3(), settings.mediaBucket(),
          settings.maxCaptionBytes(), automaticCaptions());
    }

    videopipe.functions.captions.TranscriptionCompleted transcriptionCompleted() {
      return new videopipe.functions.captions.TranscriptionCompleted(catalog(), automaticCaptions());
    }

    private videopipe.functions.captions.AutomaticCaptions automaticCaptions() {
      return settings.automaticCaptions()
          ? videopipe.functions.captions.AutomaticCaptions.enabled(clients::transcribe, clients.s3(),
              settings.mediaBucket(), settings.stackName(), settings.maxCaptionBytes())
          : videopipe.functions.captions.AutomaticCaptions.disabled();
    }

    /** Reads the environment on first use, so a missing variable fails the start naming it. */
    static Supplier<Wiring> lazy(java.util.function.UnaryOperator<String> environment) {
      return Once.of(() -> {
        Settings settings = Settings.from(environment);
        return new Wiring(settings, new AwsClients(settings), Clock.systemUTC());
      });
    }
  }
}
