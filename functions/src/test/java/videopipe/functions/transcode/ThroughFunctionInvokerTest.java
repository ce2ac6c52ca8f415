package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.functions.testing.FunctionInvocation.invoke;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.FunctionsApplication;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * transcodeCompleted and attachCaptions as Lambda runs them, through SCF's FunctionInvoker, with
 * the JSON Lambda really sends: MediaConvert's event exactly as its user guide prints it, and the
 * Captions branch's task input. (submitTranscode and transcodeCompleted on the local MediaConvert
 * and Step Functions, with real task tokens: {@link SubmitTranscodeTest}, {@link TranscodeCompletedTest}.)
 */
@ExtendWith(LocalAwsExtension.class)
class ThroughFunctionInvokerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();
  private static Catalog catalog;
  private static LocalAws aws;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    PROPERTIES.put("MAIN_CLASS", FunctionsApplication.class.getName());
    PROPERTIES.put("CATALOG_TABLE", aws.tableName());
    PROPERTIES.put("EVENT_BUS_NAME", aws.tableName() + "-bus");
    PROPERTIES.put("S3_FORCE_PATH_STYLE", "true");
    PROPERTIES.put("UPLOAD_BUCKET", aws.bucket());
    PROPERTIES.forEach(System::setProperty);
  }

  @AfterAll
  static void tearDown() {
    PROPERTIES.keySet().forEach(System::clearProperty);
  }

  @Test
  void ignoresTheDocumentedErrorEventOfAVideoItDoesNotKnow() throws Exception {
    // MediaConvert user guide, "Events with ERROR status", with our user metadata.
    String event = """
        {
          "version": "0",
          "id": "1234abcd-12ab-34cd-56ef-1234567890ab",
          "detail-type": "MediaConvert Job State Change",
          "source": "aws.mediaconvert",
          "account": "111122223333",
          "time": "2018-01-07T23:35:20Z",
          "region": "us-west-2",
          "resources": ["arn:aws:mediaconvert:us-west-2:111122223333:jobs/1515368087458-qnoxtd"],
          "detail": {
            "timestamp": 1515368120764,
            "accountId": "111122223333",
            "queue": "arn:aws:mediaconvert:us-west-2:111122223333:queues/Default",
            "jobId": "1515368087458-qnoxtd",
            "status": "ERROR",
            "errorCode": 1040,
            "errorMessage": "Example error message",
            "userMetadata": {"videoId": "vnotinthecatalog"}
          }
        }""";
    JsonNode out = invoke("transcodeCompleted", event);
    assertThat(out.path("outcome").asString()).isEqualTo("IGNORED");
    assertThat(out.path("why").asString()).isEqualTo("no such video in the catalog");
  }

  @Test
  void ignoresTheDocumentedCompleteEventOfAJobThatIsNotOurs() throws Exception {
    // MediaConvert user guide, "File group" COMPLETE sample (its trailing commas removed), no user metadata.
    String event = """
        { "detail": { "status": "COMPLETE", "paddingInserted": 0, "blackVideoDetected": 10,
          "outputGroupDetails": [ { "outputDetails": [ { "outputFilePaths": [ "s3://amzn-s3-demo-bucket/file/file.mp4" ],
            "durationInMs": 180041, "videoDetails": { "averageBitrate": 200000, "widthInPx": 1280, "heightInPx": 720,
            "qvbrAvgQuality": 7.38, "qvbrMinQuality": 7, "qvbrMaxQuality": 8, "qvbrMinQualityLocation": 2168,
            "qvbrMaxQualityLocation": 25025 } } ], "type": "FILE_GROUP" } ],
          "timestamp": 1536964380391, "accountId": "111122223333",
          "queue": "arn:aws:mediaconvert:us-west-2:111122223333:queues/Default", "jobId": "1536964333549-opn151",
          "userMetadata": {}, "warnings": [ { "code": 0, "count": 1 } ] },
          "version": "0", "id": "1234abcd-12ab-34cd-56ef-1234567890ab", "detail-type": "MediaConvert Job State Change",
          "source": "aws.mediaconvert", "account": "111122223333", "time": "2018-09-14T21:54:31Z", "region": "us-west-2",
          "resources": [ "arn:aws:mediaconvert:us-west-2:111122223333:jobs/1536961999428-kxngbl" ] }""";
    JsonNode out = invoke("transcodeCompleted", event);
    assertThat(out.path("outcome").asString()).isEqualTo("IGNORED");
    assertThat(out.path("why").asString()).contains("no videoId");
  }

  @Test
  void ignoresTheDocumentedTranscribeEventWhereAutomaticCaptionsAreOff() throws Exception {
    // Transcribe developer guide, "Using Amazon EventBridge with Amazon Transcribe", event example.
    String event = """
        {
          "version": "0",
          "id": "1a234567-1a6d-3ab4-1234-abf8b19be1234",
          "detail-type": "Transcribe Job State Change",
          "source": "aws.transcribe",
          "account": "123456789012",
          "time": "2021-04-08T16:55:44Z",
          "region": "us-west-2",
          "resources": [],
          "detail": {"TranscriptionJobName": "videopipe-dev-v1", "TranscriptionJobStatus": "COMPLETED"}
        }""";
    JsonNode out = invoke("transcriptionCompleted", event);
    assertThat(out.path("status").asString()).isEqualTo("IGNORED");
    assertThat(out.path("reason").asString()).isEqualTo("automatic captions are off for this stack");
    assertThat(out.path("job").asString()).isEqualTo("videopipe-dev-v1");
  }

  @Test
  void attachesCaptionsFromTheBranchInput() throws Exception {
    String exec = Uploads.executionArn();
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("uploads/alice/" + id + "/source", "e", "s", 100), exec);
    catalog.accept(id, exec, "MP4", 100);
    aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key("uploads/alice/" + id + "/captions/en.srt"),
        RequestBody.fromString("1\n00:00:00,500 --> 00:00:01,000\nHi\n"));
    String input = JSON.writeValueAsString(Map.of("videoId", id, "ownerId", "alice", "bucket", aws.bucket(),
        "key", "uploads/alice/" + id + "/source", "executionArn", exec, "metadata", Map.of("width", 160)));
    JsonNode out = invoke("attachCaptions", input);
    assertThat(out.path("captions").get(0).path("key").asString()).isEqualTo("media/" + id + "/captions/en.vtt");
    assertThat(out.path("captions").get(0).path("label").asString()).isEqualTo("English");
    assertThat(out.path("automatic").path("status").asString()).isEqualTo("UNAVAILABLE");
  }
}
