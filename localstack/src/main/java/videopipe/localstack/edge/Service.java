package videopipe.localstack.edge;

/**
 * The services behind the edge port, each served by its own emulator on a loopback port of its own.
 * {@link #json} tells how the edge words its own errors for a request meant for it: the JSON of the
 * JSON and REST-JSON protocols, or S3's XML.
 */
public enum Service {
  S3("S3 (S3Proxy)", false),
  DYNAMODB("DynamoDB (dynalite)", true),
  STEP_FUNCTIONS("Step Functions", true),
  EVENTBRIDGE("EventBridge", true),
  LAMBDA("Lambda", true),
  MEDIACONVERT("MediaConvert", true);

  final String title;
  final boolean json;

  Service(String title, boolean json) {
    this.title = title;
    this.json = json;
  }
}
