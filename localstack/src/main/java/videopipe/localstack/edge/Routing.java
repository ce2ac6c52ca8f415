package videopipe.localstack.edge;

import java.util.List;
import java.util.Map;

/**
 * Which service a request is for, by the markers of its AWS protocol, as LocalStack's edge reads
 * them: the JSON protocols name their operation in {@code X-Amz-Target} ({@code
 * DynamoDB_20120810.PutItem}, {@code AWSStepFunctions.StartExecution}, {@code AWSEvents.PutEvents});
 * Lambda and MediaConvert speak REST JSON under their API version ({@code /2015-03-31/functions/…},
 * Lambda's event-invoke-config API {@code /2019-09-25/functions/…}, {@code /2017-08-29/…}); the
 * local Lambda's fault switch is {@code /_videopipe/faults} (no bucket name has an underscore);
 * anything else is S3, whose REST paths are the bucket's name.
 *
 * <p>So a bucket named {@code 2017-08-29} (a valid name) is unreachable through the edge, as on
 * LocalStack: its objects' paths are MediaConvert's.
 */
final class Routing {

  private static final Map<String, Service> TARGET_PREFIXES = Map.of(
      "DynamoDB_20120810.", Service.DYNAMODB,
      "AWSStepFunctions.", Service.STEP_FUNCTIONS,
      "AWSEvents.", Service.EVENTBRIDGE);
  private static final List<String> LAMBDA = List.of("/2015-03-31/functions", "/2019-09-25/functions",
      "/_videopipe/faults");
  private static final String MEDIACONVERT = "/2017-08-29/";

  private Routing() {}

  /**
   * The service for a request with this request-target (origin form {@code /path?query}, or
   * absolute form) and {@code X-Amz-Target} (null when absent).
   *
   * @throws EdgeException {@code UnknownOperationException} for an {@code X-Amz-Target} no local
   *     service serves: such a request is never S3's, and S3 would answer it with a confusing error
   */
  static Service route(String requestTarget, String amzTarget) {
    if (amzTarget != null) {
      for (Map.Entry<String, Service> prefix : TARGET_PREFIXES.entrySet()) {
        if (amzTarget.startsWith(prefix.getKey())) {
          return prefix.getValue();
        }
      }
      throw new EdgeException(EdgeException.Code.UnknownOperationException, "no local service serves X-Amz-Target "
          + amzTarget + " (this edge serves DynamoDB_20120810.*, AWSStepFunctions.* and AWSEvents.*)");
    }
    String path = path(requestTarget);
    for (String lambda : LAMBDA) {
      if (path.equals(lambda) || path.startsWith(lambda + "/")) {
        return Service.LAMBDA;
      }
    }
    if (path.startsWith(MEDIACONVERT)) {
      return Service.MEDIACONVERT;
    }
    return Service.S3;
  }

  private static String path(String requestTarget) {
    String path = requestTarget;
    int scheme = path.indexOf("://");
    if (scheme >= 0 && !path.startsWith("/")) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
