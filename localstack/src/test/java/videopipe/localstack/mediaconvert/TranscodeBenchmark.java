package videopipe.localstack.mediaconvert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import videopipe.localstack.ffmpeg.Ffmpeg;
import videopipe.localstack.s3.S3Emulator;

/**
 * DESIGN.md's "Transcode (local)" number: a 10 s 720p clip through the whole ladder (HLS 720p,
 * 480p, 360p with AAC, an MP4 at 720p, a thumbnail), as a local MediaConvert job (CreateJob to
 * COMPLETE: S3 download, ffmpeg, probes, upload) against ONE plain ffmpeg command producing the
 * same renditions with the same encoder settings from a local file (decode once, split), in the
 * same run, alternating, best of {@code rounds}. Target: ratio ≤ 1.1.
 *
 * <p>Not a test (surefire does not pick it up): run it with
 * {@code ./mvnw -B -q -ntp -pl localstack test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=videopipe.localstack.mediaconvert.TranscodeBenchmark [-Dbench.rounds=3]}.
 */
public final class TranscodeBenchmark {

  private static final String BUCKET = "bench";

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 3);
    Path dir = Files.createTempDirectory("transcode-bench");
    Path clip = dir.resolve("clip.mp4");
    Ffmpeg ff = Ffmpeg.get();
    ff.run(List.of("-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10", "-ac", "2",
        "-c:v", "libx264", "-preset", "fast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString()),
        120, TimeUnit.SECONDS);
    try (S3Emulator s3e = S3Emulator.start(S3Emulator.Options.inMemory());
         S3Client s3 = S3Client.builder().endpointOverride(s3e.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3e.accessKey(), s3e.secretKey())))
             .httpClient(UrlConnectionHttpClient.create()).build();
         MediaConvertEmulator mc = MediaConvertEmulator.start(MediaConvertEmulator.Options.defaults(), s3, e -> {})) {
      s3.createBucket(b -> b.bucket(BUCKET));
      s3.putObject(b -> b.bucket(BUCKET).key("uploads/o/v/source"), RequestBody.fromFile(clip));
      MediaConvertWire api = new MediaConvertWire(mc.endpoint());
      List<Double> job = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        String id = api.createJob("{\"role\":\"arn:aws:iam::000000000000:role/MediaConvert\",\"settings\":" + settings(r) + "}")
            .path("id").asString();
        String status = api.awaitStatus(id, Duration.ofMinutes(5), "COMPLETE", "ERROR", "CANCELED").path("status").asString();
        if (!status.equals("COMPLETE")) {
          throw new IllegalStateException("job ended " + api.getJob(id));
        }
        job.add((System.nanoTime() - t0) / 1e9);
        Path out = Files.createDirectories(dir.resolve("plain-" + r));
        long t1 = System.nanoTime();
        ff.run(plainCommand(clip, out), 5, TimeUnit.MINUTES);
        plain.add((System.nanoTime() - t1) / 1e9);
        System.out.printf(Locale.ROOT, "round %d: job %.2f s, plain ffmpeg %.2f s%n", r + 1, job.get(r), plain.get(r));
      }
      double bestJob = job.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double bestPlain = plain.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      System.out.printf(Locale.ROOT, "10 s 720p ladder: local MediaConvert %.2f s (%.2fx real time), plain ffmpeg %.2f s"
          + " (%.2fx real time), ratio %.3f (target <= 1.1)%n", bestJob, 10 / bestJob, bestPlain, 10 / bestPlain,
          bestJob / bestPlain);
    }
  }

  private static String settings(int round) {
    String hls = """
        {"nameModifier":"_%1$dp","containerSettings":{"container":"M3U8"},
         "videoDescription":{"width":%2$d,"height":%1$d,"codecSettings":{"codec":"H_264","h264Settings":
           {"rateControlMode":"QVBR","qvbrSettings":{"qvbrQualityLevel":7},"maxBitrate":%3$d,"codecProfile":"HIGH"}}},
         "audioDescriptions":[{"codecSettings":{"codec":"AAC","aacSettings":{"bitrate":128000,"sampleRate":48000,"codingMode":"CODING_MODE_2_0"}}}]}""";
    return """
        {"inputs":[{"fileInput":"s3://bench/uploads/o/v/source","audioSelectors":{"Audio Selector 1":{"defaultSelection":"DEFAULT"}}}],
         "outputGroups":[
          {"outputGroupSettings":{"type":"HLS_GROUP_SETTINGS","hlsGroupSettings":{"destination":"s3://bench/media/%1$d/","segmentLength":6}},
           "outputs":[%2$s,%3$s,%4$s]},
          {"outputGroupSettings":{"type":"FILE_GROUP_SETTINGS","fileGroupSettings":{"destination":"s3://bench/media/%1$d/download"}},
           "outputs":[{"containerSettings":{"container":"MP4"},
             "videoDescription":{"width":1280,"height":720,"codecSettings":{"codec":"H_264","h264Settings":
               {"rateControlMode":"QVBR","qvbrSettings":{"qvbrQualityLevel":7},"maxBitrate":5000000,"codecProfile":"HIGH"}}},
             "audioDescriptions":[{"codecSettings":{"codec":"AAC","aacSettings":{"bitrate":128000,"sampleRate":48000,"codingMode":"CODING_MODE_2_0"}}}]}]},
          {"outputGroupSettings":{"type":"FILE_GROUP_SETTINGS","fileGroupSettings":{"destination":"s3://bench/media/%1$d/poster"}},
           "outputs":[{"containerSettings":{"container":"RAW"},
             "videoDescription":{"width":640,"height":360,"codecSettings":{"codec":"FRAME_CAPTURE",
               "frameCaptureSettings":{"framerateNumerator":1,"framerateDenominator":5,"maxCaptures":1,"quality":80}}}}]}]}
        """.formatted(round, hls.formatted(720, 1280, 5000000), hls.formatted(480, 854, 2500000),
        hls.formatted(360, 640, 1000000));
  }

  /** The same renditions, written by hand as one would: decode once, split, one encoder each. */
  private static List<String> plainCommand(Path clip, Path out) {
    List<String> a = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y", "-i", clip.toString(),
        "-filter_complex", "[0:v]split=5[a][b][c][d][e];[a]scale=1280:720,format=yuv420p[v720];"
            + "[b]scale=854:480,format=yuv420p[v480];[c]scale=640:360,format=yuv420p[v360];"
            + "[d]scale=1280:720,format=yuv420p[vmp4];[e]fps=1/5,scale=640:360[thumb]"));
    int[][] ladder = {{720, 5000000}, {480, 2500000}, {360, 1000000}};
    for (int[] rung : ladder) {
      a.addAll(List.of("-map", "[v" + rung[0] + "]", "-map", "0:a:0", "-c:v", "libx264", "-preset", "veryfast",
          "-profile:v", "high", "-crf", "23", "-maxrate", String.valueOf(rung[1]), "-bufsize", String.valueOf(2 * rung[1]),
          "-force_key_frames:v", "expr:gte(t,n_forced*6)", "-c:a", "aac", "-b:a", "128000", "-ar", "48000", "-ac", "2",
          "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_list_size", "0",
          "-hls_segment_filename", out.resolve(rung[0] + "_%05d.ts").toString(), out.resolve(rung[0] + ".m3u8").toString()));
    }
    a.addAll(List.of("-map", "[vmp4]", "-map", "0:a:0", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high",
        "-crf", "23", "-maxrate", "5000000", "-bufsize", "10000000", "-c:a", "aac", "-b:a", "128000", "-ar", "48000",
        "-ac", "2", "-movflags", "+faststart", out.resolve("download.mp4").toString()));
    a.addAll(List.of("-map", "[thumb]", "-c:v", "mjpeg", "-q:v", "7", "-frames:v", "1", out.resolve("poster.%07d.jpg").toString()));
    return a;
  }
}
