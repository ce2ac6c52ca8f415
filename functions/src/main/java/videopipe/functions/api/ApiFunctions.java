package videopipe.functions.api;

import java.lang.reflect.GenericArrayType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.functions.AwsClients;
import videopipe.functions.Once;
import videopipe.functions.Settings;
import videopipe.functions.catalog.Catalog;

/**
 * The upload API's beans: ONE Lambda per route, each selected by its bean name like every other
 * function. One per route rather than one router: each route's role holds only what it does
 * (createUpload may create items and multipart uploads and sign PUTs, listVideos may only query
 * the owner index, getVideo may only read items and sign GETs of media), a bug in one route
 * cannot reach another's permissions, and each scales and is throttled on its own.
 */
public final class ApiFunctions {

  /** The bean names, as the OpenAPI document's integrations name the functions. */
  public static final List<String> NAMES = List.of("createUpload", "completeUpload", "abortUpload", "getVideo",
      "listVideos");

  private final Settings settings;
  private final Catalog catalog;
  private final UploadStorage storage;
  private final Clock clock;

  public ApiFunctions(Settings settings, AwsClients clients, Clock clock) {
    this(settings, new Catalog(clients.dynamo(), settings.catalogTable(), clock), clients.s3(), presigner(settings),
        clock);
  }

  /** For tests: clients pointed wherever they like. */
  public ApiFunctions(Settings settings, Catalog catalog, software.amazon.awssdk.services.s3.S3Client s3,
      S3Presigner presigner, Clock clock) {
    this.settings = settings;
    this.catalog = catalog;
    this.storage = new UploadStorage(s3, presigner, settings.requireUploadBucket(),
        Duration.ofSeconds(settings.uploadUrlTtlSeconds()), Duration.ofSeconds(settings.downloadUrlTtlSeconds()));
    this.clock = clock;
  }

  /** Region, credentials and endpoint from the SDK's default chains, as for the S3 client. */
  private static S3Presigner presigner(Settings settings) {
    return S3Presigner.builder()
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build())
        .build();
  }

  public Function<HttpApiRequest, HttpApiResponse> route(String name) {
    return switch (name) {
      case "createUpload" -> new CreateUpload(catalog, storage, new SecureRandom(), settings.maxUploadBytes(),
          settings.singlePutMaxBytes(), settings.maxCaptionBytes(), settings.allowedContainers());
      case "completeUpload" -> new CompleteUpload(catalog, storage);
      case "abortUpload" -> new AbortUpload(catalog, storage);
      case "getVideo" -> new GetVideo(catalog, storage, settings.mediaBucket(), clock);
      case "listVideos" -> new ListVideos(catalog);
      default -> throw new IllegalArgumentException("no API route " + name + "; routes: " + NAMES);
    };
  }

  /**
   * A route as Spring Cloud Function registers it: the payload 2.0 event's bytes in, a message the
   * adapter maps back out. The routes are built on first use: SCF builds every registration when it
   * starts, whichever bean the Lambda selected, and the other functions' Lambdas have no {@code
   * UPLOAD_BUCKET}.
   *
   * <p>The input is declared as an array type, and the event is read here, for a reason of
   * security: when an API Gateway event's body is a JSON array, SCF's AWS adapter calls a function
   * whose input is not a collection or array once per ELEMENT of the body, converted into the
   * input type (SimpleFunctionRegistry's {@code fluxifyInputIfNecessary}). With {@code
   * HttpApiRequest} as the input, a creator's body {@code [{"requestContext": {"authorizer": {"jwt":
   * {"claims": {"sub": "someone-else"}}}}, ...}]} became the request, claims included: an upload
   * created in another creator's name ({@code BadRequestTest.refusesAnArrayBodyAndActsForNobody}).
   * SCF skips that for array input types; its check is for a {@link GenericArrayType}, hence
   * {@link #EVENT_BYTES} rather than {@code byte[].class}. SCF passes the event's bytes through
   * unconverted, and an array body then reaches the route, which refuses it as not an object.
   */
  public static FunctionRegistration<Function<byte[], Message<byte[]>>> registration(String name,
      java.util.function.Supplier<ApiFunctions> api) {
    java.util.function.Supplier<Function<HttpApiRequest, HttpApiResponse>> route = Once.of(
        () -> api.get().route(name));
    Function<byte[], Message<byte[]>> function = event -> HttpRoutes.toMessage(route.get().apply(
        EVENTS.readValue(event, HttpApiRequest.class)));
    return new FunctionRegistration<>(function, name).type(FunctionTypeUtils.functionType(EVENT_BYTES,
        ResolvableType.forClassWithGenerics(Message.class, byte[].class).getType()));
  }

  /** {@code byte[]}, as a {@link GenericArrayType}: see {@link #registration}. */
  static final GenericArrayType EVENT_BYTES = new GenericArrayType() {
    @Override
    public java.lang.reflect.Type getGenericComponentType() {
      return byte.class;
    }

    @Override
    public String getTypeName() {
      return "byte[]";
    }
  };

  /** The event as API Gateway built it; fields the routes do not read are ignored. */
  private static final tools.jackson.databind.json.JsonMapper EVENTS = tools.jackson.databind.json.JsonMapper
      .builder().disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
}
