package videopipe.functions.transcode;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.CatalogTable;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.ObjectIdentity;
import videopipe.functions.metadata.Container;
import videopipe.functions.metadata.VideoMetadata;
import videopipe.functions.testing.Uploads;
import videopipe.localstack.junit.LocalAws;

/** A catalog on dynalite, the two fakes, and both beans wired to them. */
final class TranscodeFixture {

  static final VideoMetadata HD = new VideoMetadata(Container.MP4, 12, 1280, 720, 0, 30, "h264", "aac", 2_000_000, 1);
  static final JobRequests.Target TARGET = new JobRequests.Target("arn:aws:iam::000000000000:role/mc", null, "media", "test");

  final Catalog catalog;
  final FakeMediaConvert mediaConvert = new FakeMediaConvert();
  final FakeTaskTokens tokens = new FakeTaskTokens();
  final SubmitTranscode submit;
  final TranscodeCompleted completed;

  TranscodeFixture(LocalAws aws) {
    CatalogTable.create(aws.dynamoDbClient(), aws.tableName());
    catalog = new Catalog(aws.dynamoDbClient(), aws.tableName(), Clock.systemUTC());
    submit = new SubmitTranscode(catalog, mediaConvert, tokens, Ladder.DEFAULT, TARGET);
    completed = new TranscodeCompleted(catalog, tokens);
  }

  /** A video PROCESSING for {@code execution}, as extractMetadata leaves it. */
  String processing(String execution) {
    String id = Uploads.newVideoId();
    catalog.create(new NewVideo(id, "alice", "a.mp4", "video/mp4", 100));
    catalog.claim(id, "alice", new ObjectIdentity("uploads/alice/" + id + "/source", "e", "s", 100), execution);
    catalog.accept(id, execution, "MP4", 100);
    return id;
  }

  static TranscodeRequest request(String videoId, String execution, String token) {
    return new TranscodeRequest(videoId, execution, "uploads", "uploads/alice/" + videoId + "/source", HD, token);
  }

  /** The event MediaConvert emits when the job completes, with the paths it really wrote. */
  static JobStateChangeEvent complete(String videoId, String jobId) {
    String base = "s3://media/media/" + videoId + "/";
    return event(jobId, videoId, "COMPLETE", null, null, List.of(
        new JobStateChangeEvent.OutputGroupDetail("HLS_GROUP", List.of(base + "hls/index.m3u8"), List.of(
            variant(base + "hls/index_720p.m3u8", 1280, 720),
            variant(base + "hls/index_480p.m3u8", 854, 480),
            variant(base + "hls/index_360p.m3u8", 640, 360))),
        new JobStateChangeEvent.OutputGroupDetail("FILE_GROUP", null, List.of(variant(base + "download.mp4", 1280, 720))),
        new JobStateChangeEvent.OutputGroupDetail("FILE_GROUP", null,
            List.of(variant(base + "poster.0000001.jpg", 1280, 720)))));
  }

  static JobStateChangeEvent event(String jobId, String videoId, String status, Integer errorCode, String message,
      List<JobStateChangeEvent.OutputGroupDetail> groups) {
    return new JobStateChangeEvent("0", "e-1", JobStateChangeEvent.DETAIL_TYPE, JobStateChangeEvent.SOURCE,
        "000000000000", "2026-11-24T12:00:00Z", "us-east-1", List.of("arn:aws:mediaconvert:us-east-1::jobs/" + jobId),
        new JobStateChangeEvent.Detail(1L, "000000000000", "queues/Default", jobId, status, errorCode, message,
            videoId == null ? Map.of() : Map.of("videoId", videoId, "executionArn", "x"), groups));
  }

  private static JobStateChangeEvent.OutputDetail variant(String path, int w, int h) {
    return new JobStateChangeEvent.OutputDetail(List.of(path), 12_000L, new JobStateChangeEvent.VideoDetails(w, h, 1L));
  }
}
