package videopipe.functions.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.AwsClients;
import videopipe.functions.Settings;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.storage.SourceStore;
import videopipe.functions.validate.ContainerDetector;
import videopipe.functions.validate.ValidateRequest;
import videopipe.functions.validate.ValidateUpload;
import videopipe.functions.validate.Validation;

/**
 * The cold-start baseline: {@code validateUpload} behind a hand-written Lambda handler, no Spring.
 * It does the work FunctionsApplication's wiring does (settings from the environment, the shared
 * AWS clients, the catalog, the source store, the detector) and the JSON the adapter does (the
 * Lambda input into {@link ValidateRequest}, the {@link Validation} out with its {@code outcome}),
 * so that the difference the benchmark measures is the adapter and the application context alone.
 * Built in the constructor, as a handler's fields would be during Lambda's init phase.
 */
public final class PlainValidateHandler implements RequestStreamHandler {

  private final JsonMapper json = JsonMapper.builder().build();
  private final ValidateUpload validateUpload;

  public PlainValidateHandler() {
    Settings settings = Settings.from(System.getenv());
    AwsClients clients = new AwsClients(settings);
    validateUpload = new ValidateUpload(
        new Catalog(clients.dynamo(), settings.catalogTable(), Clock.systemUTC()),
        new SourceStore(clients.s3()),
        new ContainerDetector(),
        settings.maxUploadBytes(),
        settings.allowedContainers());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    ValidateRequest request = json.readValue(input, ValidateRequest.class);
    Validation result = validateUpload.apply(request);
    json.writerFor(Validation.class).writeValue(output, result);
  }
}
