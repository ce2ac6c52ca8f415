package videopipe.functions;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Primes a SnapStart Lambda before Lambda snapshots it, so that what a restored sandbox runs first
 * is already loaded, linked and initialised: the DynamoDB client's whole request path (every
 * function reads the catalog), and for {@code validateUpload} the adapter's JSON conversion and the
 * bean itself. Lambda calls {@link #beforeCheckpoint} once, after init, when it publishes a version
 * with SnapStart on; {@link FunctionsApplication} registers this only then
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}), so an on-demand cold start pays nothing.
 *
 * <p>Priming changes nothing anywhere: a consistent GetItem of a video id that cannot exist (ids
 * from createUpload have no dots), and a {@code validateUpload} event whose key is outside {@code
 * uploads/}, which the bean rejects before any I/O. It never fails the snapshot: priming is an
 * optimisation, and a role that may not read (say) is the deployment's business, reported here.
 */
final class SnapStartPriming implements Resource {

  static final String PRIMING_VIDEO_ID = "snapstart.priming";

  /** An Object Created event as Step Functions passes it, for a key validateUpload refuses unread. */
  static final String VALIDATE_INPUT = """
      {"event": {"version": "0", "id": "snapstart-priming", "detail-type": "Object Created",
        "source": "aws.s3", "account": "000000000000", "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1", "resources": [],
        "detail": {"version": "0", "bucket": {"name": "snapstart-priming"},
          "object": {"key": "snapstart-priming", "size": 0, "etag": "0", "sequencer": "0"},
          "reason": "PutObject"}},
       "executionArn": "arn:aws:states:us-east-1:000000000000:execution:video-ingest:snapstart-priming"}""";

  private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);

  private final ApplicationContext context;
  private final Supplier<FunctionsApplication.Wiring> wiring;
  private final Predicate<String> selected;

  SnapStartPriming(ApplicationContext context, Supplier<FunctionsApplication.Wiring> wiring, Predicate<String> selected) {
    this.context = context;
    this.wiring = wiring;
    this.selected = selected;
    // The global context holds resources weakly: the application context holds this bean.
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> crac) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> crac) {
    // Nothing to redo: the clients resolve credentials per request and reconnect as needed.
  }

  /** Runs the priming calls; returns validateUpload's answer (null when it was not primed), for tests. */
  String prime() {
    try {
      wiring.get().catalog().get(PRIMING_VIDEO_ID);
    } catch (RuntimeException e) {
      log.warn("SnapStart priming: the catalog read failed, the snapshot goes on unprimed for it: {}", e.toString());
    }
    if (!selected.test("validateUpload")) {
      return null;
    }
    try {
      FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
          .lookup("validateUpload", "application/json");
      Message<byte[]> input = MessageBuilder.withPayload(VALIDATE_INPUT.getBytes(StandardCharsets.UTF_8))
          .setHeader("contentType", "application/json").build();
      Object output = function.apply(input);
      Object payload = output instanceof Message<?> m ? m.getPayload() : output;
      return payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
    } catch (RuntimeException e) {
      log.warn("SnapStart priming: validateUpload failed, the snapshot goes on unprimed for it: {}", e.toString());
      return null;
    }
  }
}
