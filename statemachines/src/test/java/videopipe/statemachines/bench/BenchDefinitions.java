package videopipe.statemachines.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import videopipe.statemachines.StateMachineDefinitions;

/**
 * The definitions the benchmark runs, as text, so that the Java engine and the npm package are
 * given the very same bytes. Each JSONPath one is written in the subset both engines run alike;
 * the benchmark checks that their outputs agree before it trusts a ratio.
 */
final class BenchDefinitions {

  private BenchDefinitions() {}

  static final int MAP_ITEMS = 1_000;
  static final int CHAIN_LENGTH = 200;

  /** (a) an inline Map over 1,000 items, each iteration Pass → Choice → Pass → Succeed: 1 + 4 × 1,000 states entered. */
  static final String MAP_JSONPATH = """
      {"Comment": "bench (a): inline Map, JSONPath", "StartAt": "Items", "States": {
        "Items": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "Mark", "States": {
          "Mark": {"Type": "Pass", "Parameters": {"value.$": "$.n", "kind": "item"}, "Next": "Big?"},
          "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.value", "NumericGreaterThanEquals": 500, "Next": "High"}],
                   "Default": "Low"},
          "High": {"Type": "Pass", "Result": "high", "ResultPath": "$.band", "Next": "Done"},
          "Low": {"Type": "Pass", "Result": "low", "ResultPath": "$.band", "Next": "Done"},
          "Done": {"Type": "Succeed"}}}, "End": true}}}""";

  /** (c) the same Map in JSONata, state for state. */
  static final String MAP_JSONATA = """
      {"Comment": "bench (c): inline Map, JSONata", "QueryLanguage": "JSONata", "StartAt": "Items", "States": {
        "Items": {"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": {"StartAt": "Mark", "States": {
          "Mark": {"Type": "Pass", "Output": {"value": "{% $states.input.n %}", "kind": "item"}, "Next": "Big?"},
          "Big?": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.value >= 500 %}", "Next": "High"}],
                   "Default": "Low"},
          "High": {"Type": "Pass", "Output": "{% $merge([$states.input, {'band': 'high'}]) %}", "Next": "Done"},
          "Low": {"Type": "Pass", "Output": "{% $merge([$states.input, {'band': 'low'}]) %}", "Next": "Done"},
          "Done": {"Type": "Succeed"}}}, "End": true}}}""";

  static String mapInput() {
    StringJoiner items = new StringJoiner(", ", "{\"items\": [", "]}");
    for (int i = 0; i < MAP_ITEMS; i++) {
      items.add("{\"n\": " + i + "}");
    }
    return items.toString();
  }

  /** (b) 200 Pass states in a row, each adding 1 to a counter with States.MathAdd through Parameters and ResultPath. */
  static String chain() {
    StringJoiner states = new StringJoiner(",\n", "{\"Comment\": \"bench (b): 200 chained Pass\", \"StartAt\": \"S0\", \"States\": {\n", "}}");
    for (int i = 0; i < CHAIN_LENGTH; i++) {
      String then = i + 1 < CHAIN_LENGTH ? "\"Next\": \"S" + (i + 1) + "\"" : "\"End\": true";
      states.add("\"S" + i + "\": {\"Type\": \"Pass\", \"Parameters\": {\"n.$\": \"States.MathAdd($.counter.n, 1)\"},"
          + " \"ResultPath\": \"$.counter\", " + then + "}");
    }
    return states.toString();
  }

  static final String CHAIN_INPUT = """
      {"counter": {"n": 0}, "upload": {"videoId": "v-42", "ownerId": "o-1", "tags": ["bench", "chain"]}}""";

  /** (d) video-ingest as Pulumi loads it, with placeholder function ARNs told apart by their last part. */
  static String videoIngest() {
    Map<String, String> arns = new HashMap<>();
    for (String f : new String[] {"ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo"}) {
      arns.put(f + "Arn", "arn:aws:lambda:us-east-1:123456789012:function:videopipe-bench-" + f);
    }
    return StateMachineDefinitions.load("video-ingest", arns).json();
  }

  static final String UPLOAD_EVENT = """
      {"detail-type": "Object Created", "source": "aws.s3",
       "detail": {"bucket": {"name": "media"}, "object": {"key": "uploads/o-1/v-42/source", "etag": "e1", "sequencer": "01"}}}""";

  /** An execution that idles on a task token: Pass, then a .waitForTaskToken Lambda task, then Pass. */
  static final String AWAIT_TOKEN = """
      {"Comment": "bench: an execution idle on a task token", "StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"videoId.$": "$.videoId", "stage": "transcode"}, "Next": "Transcode"},
        "Transcode": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:videopipe-bench-SubmitTranscode",
                         "Payload": {"videoId.$": "$.videoId", "taskToken.$": "$$.Task.Token"}},
          "ResultPath": "$.outputs", "Next": "Publish"},
        "Publish": {"Type": "Pass", "End": true}}}""";
}
