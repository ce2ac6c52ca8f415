package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import videopipe.cli.local.LocalStack;
import videopipe.localstack.lambda.LambdaException;
import videopipe.localstack.lambda.LocalLambda;

/**
 * {@code videopipe upload} and {@code videopipe videos} as a creator runs them against a running
 * local stack, found through its stack file: real HTTP to the API gateway and to S3's presigned
 * URLs, the real functions jar, the pipeline to READY.
 */
class UploadCommandTest {

  @TempDir
  static Path dir;
  static Path home;
  static LocalStack stack;
  static PublishedStack published;
  static Path clip;
  static Path captions;

  @BeforeAll
  static void start() throws Exception {
    published = PublishedStack.start("upcmd", dir);
    stack = published.stack();
    home = published.home();
    clip = published.clip();
    captions = Files.writeString(dir.resolve("en.vtt"), "WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nA test tone\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (published != null) {
      published.close();
    }
  }

  static Cli cli(String... argv) {
    return Cli.run(home, argv);
  }

  @Test
  void uploadsAClipWithCaptionsAndWaitsForReady() {
    Cli upload = cli("upload", clip.toString(), "--captions", "en=" + captions, "--user", "alice", "--wait");

    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.firstLine();
    assertThat(upload.lastLine()).isEqualTo("READY");

    Cli record = cli("videos", videoId, "--user", "alice");
    assertThat(record.code()).as(record.toString()).isZero();
    JsonNode video = LocalStack.JSON.readTree(record.out());
    assertThat(video.path("status").asString()).isEqualTo("READY");
    assertThat(video.path("fileName").asString()).isEqualTo("clip.mp4");
    assertThat(video.path("media").path("captions").findValuesAsString("lang")).containsExactly("en");

    Cli list = cli("videos", "--user", "alice");
    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(list.out()).containsPattern(videoId + " +READY .* clip\\.mp4");
  }

  @Test
  void triesAThrottledApiCallAgain() {
    stack.lambda().faults().serviceErrorNext("createUpload", 2, LambdaException.Code.TooManyRequestsException, "injected");
    try {
      Cli upload = cli("upload", clip.toString(), "--user", "alice");

      assertThat(upload.code()).as(upload.toString()).isZero();
      assertThat(stack.lambda().faults().get("createUpload")).as("both injected failures were used").isNull();
    } finally {
      stack.lambda().faults().clear("createUpload");
    }
  }

  @Test
  void anotherUsersVideoIsNotFoundAndNotListed() {
    Cli upload = cli("upload", clip.toString(), "--user", "carol");
    assertThat(upload.code()).as(upload.toString()).isZero();
    String videoId = upload.lastLine();

    Cli asDave = cli("videos", "--user", "dave", "--", videoId);
    assertThat(asDave.code()).as(asDave.toString()).isEqualTo(1);
    assertThat(asDave.err()).contains("GET /videos/" + videoId + " answered 404: {\"error\":\"NOT_FOUND\"");
    assertThat(cli("videos", "--user", "dave").out()).doesNotContain(videoId);
    assertThat(cli("videos", "--user", "carol").out()).contains(videoId);
  }

  @Test
  void uploadsInParallelPartsAboveTheSinglePutLimit() throws Exception {
    LocalLambda lambda = stack.lambda();
    Map<String, String> env = new HashMap<>(stack.stackEnvironment());
    env.put("SINGLE_PUT_MAX_BYTES", String.valueOf(1024 * 1024));
    for (String f : new String[] {"createUpload", "completeUpload"}) {
      lambda.deploy(f, lambda.manifest().functions().get(f), env);
    }
    try {
      // the clip, then a 17 MiB `free` box of random bytes (ISO BMFF skips it): three parts of 8, 8 and ~1 MiB
      byte[] padding = new byte[17 * 1024 * 1024];
      new Random(42).nextBytes(padding);
      Path big = dir.resolve("big.mp4");
      Files.write(big, Files.readAllBytes(clip));
      Files.write(big, ByteBuffer.allocate(8).putInt(padding.length + 8).put("free".getBytes(StandardCharsets.US_ASCII))
          .array(), java.nio.file.StandardOpenOption.APPEND);
      Files.write(big, padding, java.nio.file.StandardOpenOption.APPEND);

      Cli upload = cli("upload", big.toString(), "--user", "alice", "--wait");

      assertThat(upload.code()).as(upload.toString()).isZero();
      assertThat(upload.err()).contains("multipart: 3 parts of 8388608 bytes");
      assertThat(upload.lastLine()).isEqualTo("READY");
      String key = "uploads/alice/" + upload.firstLine() + "/source";
      byte[] stored = stack.s3Client().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asByteArray();
      assertThat(sha256(stored)).as("the object S3 assembled is the file").isEqualTo(sha256(Files.readAllBytes(big)));
    } finally {
      for (String f : new String[] {"createUpload", "completeUpload"}) {
        lambda.deploy(f, lambda.manifest().functions().get(f), stack.stackEnvironment());
      }
    }
  }

  @Test
  void waitExitsNonZeroWithTheReasonWhenTheVideoIsRejected() throws Exception {
    byte[] notAVideo = new byte[4096];
    new Random(7).nextBytes(notAVideo);
    Path disguised = Files.write(dir.resolve("disguised.mp4"), notAVideo);

    Cli upload = cli("upload", disguised.toString(), "--user", "alice", "--wait");

    assertThat(upload.code()).as(upload.toString()).isEqualTo(1);
    assertThat(upload.err()).containsPattern("videopipe: video \\S+ REJECTED: [A-Z_]+: .+");
  }

  @Test
  void printsTheApisErrorWhenItRefusesTheUpload() {
    Cli upload = cli("upload", clip.toString(), "--content-type", "video/ogg");

    assertThat(upload.code()).as(upload.toString()).isEqualTo(1);
    assertThat(upload.err()).startsWith("videopipe: POST /uploads answered 400: {\"error\":")
        .contains("\"field\":\"contentType\"");
    assertThat(upload.out()).isEmpty();
  }

  @Test
  void refusesAFileThatIsMissingOrAFolder() {
    Cli missing = cli("upload", dir.resolve("nope.mp4").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("videopipe: no such file: " + dir.resolve("nope.mp4") + " (the video)\n");

    Cli folder = cli("upload", dir.toString());
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err()).isEqualTo("videopipe: " + dir + " is not a regular file (the video)\n");
  }

  @Test
  void refusesAnUnreadableFile() throws Exception {
    Path secret = Files.write(dir.resolve("secret.mp4"), new byte[] {1, 2, 3});
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(secret), "running as root: every file is readable");

    Cli upload = cli("upload", secret.toString());

    assertThat(upload.code()).isEqualTo(2);
    assertThat(upload.err()).isEqualTo("videopipe: cannot read " + secret + ": permission denied (the video)\n");
  }

  @Test
  void refusesACaptionSpecWithoutEqualsOrAMissingCaptionFile() {
    Cli noEquals = cli("upload", clip.toString(), "--captions", "subs.vtt");
    assertThat(noEquals.code()).isEqualTo(2);
    assertThat(noEquals.err()).isEqualTo("videopipe: --captions needs LANG=FILE (e.g. en=subs.vtt), got 'subs.vtt'\n");

    Cli missing = cli("upload", clip.toString(), "--captions", "fr=" + dir.resolve("fr.vtt"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("videopipe: no such file: " + dir.resolve("fr.vtt") + " (captions fr)\n");

    Cli twice = cli("upload", clip.toString(), "--captions", "en=" + captions, "--captions", "en=" + captions);
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).isEqualTo("videopipe: --captions: language en given twice\n");
  }

  @Test
  void refusesAnExtensionItCannotMapToAContentType() throws Exception {
    Path flv = Files.write(dir.resolve("clip.flv"), new byte[] {1});

    Cli upload = cli("upload", flv.toString());

    assertThat(upload.code()).isEqualTo(2);
    assertThat(upload.err()).startsWith("videopipe: cannot tell the content type of clip.flv from its extension");
  }

  @Test
  void printsUsageForBadArguments() {
    for (String[] argv : new String[][] {{"upload"}, {"upload", "a.mp4", "b.mp4"}, {"upload", clip.toString(), "--bogus"},
        {"upload", clip.toString(), "--user"}, {"videos", "a", "b"}, {"upload", clip.toString(), "--timeout", "1m"}}) {
      Cli c = cli(argv);
      assertThat(c.code()).as(String.join(" ", argv) + "\n" + c).isEqualTo(2);
      assertThat(c.err()).as(String.join(" ", argv)).contains("usage: videopipe local token");
    }
    assertThat(cli("upload", clip.toString(), "--bogus").err()).startsWith("videopipe: unknown option --bogus\n");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
