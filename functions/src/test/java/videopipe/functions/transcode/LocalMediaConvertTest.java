package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.mediaconvert.MediaConvertClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.metadata.VideoProbe;
import videopipe.functions.testing.Clip;
import videopipe.functions.testing.CountingByteSource;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;
import videopipe.localstack.junit.LocalAwsExtension;

/**
 * submitTranscode's real MediaConvert adapter (the SDK's MediaConvertClient, built from the default
 * chain) against the local MediaConvert, which transcodes with ffmpeg into the local S3 and puts
 * the job's state change on the local default bus; transcodeCompleted then answers the task from
 * that very event. This is the contract between the job settings the function writes and the
 * subset the local MediaConvert runs: a setting one side has and the other lacks fails here.
 * (The task token still goes to the hand fake: no local Step Functions API in this module's run.)
 */
@ExtendWith(LocalAwsExtension.class)
class LocalMediaConvertTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  private static LocalAws aws;
  private static Catalog catalog;
  private static final FakeTaskTokens tokens = new FakeTaskTokens();
  private static SubmitTranscode submit;
  private static TranscodeCompleted completed;

  @BeforeAll
  static void setUp(LocalAws localAws) {
    aws = localAws;
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    aws.eventBridge().subscribe("default",
        "{\"source\":[\"aws.mediaconvert\"],\"detail\":{\"status\":[\"COMPLETE\",\"ERROR\",\"CANCELED\"],"
            + "\"userMetadata\":{\"videopipeStack\":[\"" + aws.tableName() + "\"]}}}", events::add);
    JobRequests.Target target = new JobRequests.Target("arn:aws:iam::000000000000:role/mediaconvert", null,
        aws.bucket(), aws.tableName());
    submit = new SubmitTranscode(catalog, new MediaConvertJobs(MediaConvertClient.create()), tokens, Ladder.DEFAULT,
        target);
    completed = new TranscodeCompleted(catalog, tokens);
  }

  @Test
  void transcodesTheLadderAndAnswersTheTaskFromTheJobsEvent() throws Exception {
    byte[] clip = Clip.MP4_FAST_START.bytes();
    String execution = Uploads.executionArn();
    String videoId = Uploads.newVideoId();
    String key = "uploads/alice/" + videoId + "/source";
    aws.s3Client().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(clip));
    catalog.create(new NewVideo(videoId, "alice", "a.mp4", "video/mp4", clip.length));
    catalog.claim(videoId, "alice", new ObjectIdentity(key, "e", "s", clip.length), execution);
    catalog.accept(videoId, execution, "MP4", clip.length);
    VideoMetadata metadata = new VideoProbe().probe(CountingByteSource.of(clip), Clip.MP4_FAST_START.container());

    submit.apply(new TranscodeRequest(videoId, execution, aws.bucket(), key, metadata, "token-local-1"));

    String event = events.poll(120, TimeUnit.SECONDS);
    assertThat(event).as("the job's state change on the default bus").isNotNull();
    assertThat(JSON.readTree(event).path("detail").path("status").asString()).as(event).isEqualTo("COMPLETE");
    Completion c = completed.apply(JSON.readValue(event, JobStateChangeEvent.class));
    assertThat(c).isInstanceOf(Completion.Answered.class);

    FakeTaskTokens.Answer answer = tokens.answers.stream().filter(a -> a.token().equals("token-local-1"))
        .findFirst().orElseThrow();
    assertThat(answer.success()).as(answer.payload()).isTrue();
    JsonNode outputs = JSON.readTree(answer.payload());
    for (String field : new String[] {"playlistKey", "mp4Key", "thumbnailKey"}) {
      String output = outputs.path(field).asString();
      assertThat(output).as(field).startsWith("media/" + videoId + "/");
      assertThat(aws.s3Client().headObject(b -> b.bucket(aws.bucket()).key(output)).contentLength())
          .as(field).isPositive();
    }
    assertThat(outputs.path("renditions")).isNotEmpty();
    String master = aws.s3Client().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(outputs.path("playlistKey")
        .asString())).asUtf8String();
    assertThat(master).startsWith("#EXTM3U").contains("#EXT-X-STREAM-INF");
  }
}
