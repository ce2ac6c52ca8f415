package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.cli.commands.PipelineEndToEndTest.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import tools.jackson.databind.JsonNode;
import videopipe.cli.e2e.Clips;
import videopipe.cli.e2e.FunctionsJar;
import videopipe.cli.local.LocalStack;
import videopipe.cli.local.StackFile;

/**
 * {@code videopipe local up --data DIR} stopped and started again: the uploaded objects, the
 * catalog items and the executions with their histories are all where they were, and an execution
 * that failed before the restart is redriven to READY after it.
 */
class RestartEndToEndTest {

  @TempDir
  Path dir;

  @Test
  void objectsItemsAndExecutionHistoriesSurviveARestartAndAFailureIsRedrivenAfterIt() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Path clip = Files.write(dir.resolve("clip.mp4"), Clips.mp4(dir));
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("kept").withDataDir(data);

    String ready;
    String failed;
    String failedExecution;
    List<HistoryEvent> readyHistory;
    List<HistoryEvent> failedHistory;
    try (LocalStack stack = LocalStack.start(options); StackFile.Published published = StackFile.publish(stack, home)) {
      Cli upload = Cli.run(home, "upload", clip.toString(), "--user", "ivy", "--wait");
      assertThat(upload.code()).as(upload.toString()).isZero();
      ready = upload.firstLine();

      stack.lambda().faults().failUntilCleared("publishVideo", "java.lang.IllegalStateException", "injected");
      Cli second = Cli.run(home, "upload", clip.toString(), "--user", "ivy", "--wait");
      assertThat(second.code()).as(second.toString()).isEqualTo(1);
      assertThat(second.err()).contains("FAILED");
      failed = second.firstLine();

      String readyExecution = executionOf(stack, ready);
      // publishVideo writes READY a moment before the execution records its end.
      PipelineEndToEndTest.await("the READY video's execution to end", () -> stack.sfnClient()
          .describeExecution(b -> b.executionArn(readyExecution)).status() == ExecutionStatus.SUCCEEDED ? true : null);
      readyHistory = history(stack, readyExecution);
      failedExecution = executionOf(stack, failed);
      failedHistory = history(stack, failedExecution);
    }

    try (LocalStack stack = LocalStack.start(options); StackFile.Published published = StackFile.publish(stack, home)) {
      assertThat(stack.s3Client().headObject(b -> b.bucket(stack.bucket()).key("uploads/ivy/" + ready + "/source"))
          .contentLength()).isEqualTo(Files.size(clip));
      Cli list = Cli.run(home, "videos", "--user", "ivy");
      assertThat(list.code()).as(list.toString()).isZero();
      assertThat(list.out()).containsPattern(ready + " +READY").containsPattern(failed + " +FAILED");
      assertThat(history(stack, executionOf(stack, ready))).as("the READY video's execution history")
          .isEqualTo(readyHistory);
      assertThat(history(stack, failedExecution)).as("the FAILED one's").isEqualTo(failedHistory);
      assertThat(stack.sfnClient().describeExecution(b -> b.executionArn(failedExecution)).status())
          .isEqualTo(ExecutionStatus.FAILED);

      // The fault was this JVM's, set on the first stack: the second runs the functions as they are.
      Cli redrive = Cli.run(home, "redrive", failedExecution);
      assertThat(redrive.code()).as(redrive.toString()).isZero();
      JsonNode video = PipelineEndToEndTest.await("READY after the redrive", () -> {
        Cli record = Cli.run(home, "videos", failed, "--user", "ivy");
        JsonNode v = LocalStack.JSON.readTree(record.out());
        return v.path("status").asString().equals("READY") ? v : null;
      });
      assertThat(video.path("media").path("playlistUrl").asString()).isNotBlank();
    }
  }

  /**
   * Stopped while an execution waits on its MediaConvert job: after the restart the job runs again
   * (the same job), its COMPLETE event answers the same execution's task token, and the video is
   * READY with no redrive. The rules and functions are deployed before the job runs again, or its
   * event would reach a bus with no rule for it.
   */
  @Test
  void anExecutionWaitingOnItsTranscodeAtTheStopGoesOnToReadyAfterTheRestart() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path home = Files.createDirectories(dir.resolve("home"));
    // Long enough that the job is still running when the stack stops on its PROGRESSING event.
    Path clip = Files.write(dir.resolve("long.mp4"), Clips.mp4(dir, "long-source.mp4", 12, "640x360"));
    LocalStack.Options options = LocalStack.Options.of(FunctionsJar.path()).withStackName("resumed").withDataDir(data);
    String jobEvents = "{\"source\":[\"aws.mediaconvert\"],\"detail-type\":[\"MediaConvert Job State Change\"]}";

    String videoId;
    String execution;
    String jobId;
    boolean completedBeforeTheStop;
    try (LocalStack stack = LocalStack.start(options); StackFile.Published published = StackFile.publish(stack, home)) {
      BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
      try (AutoCloseable s = stack.eventBridge().subscribe("default", jobEvents, e -> seen.add(LocalStack.JSON.readTree(e)))) {
        Cli upload = Cli.run(home, "upload", clip.toString(), "--user", "ivy");
        assertThat(upload.code()).as(upload.toString()).isZero();
        videoId = upload.lastLine();
        JsonNode progressing = awaitJob(seen, videoId, "PROGRESSING");
        jobId = progressing.path("detail").path("jobId").asString();
        execution = executionOf(stack, videoId);
      }
      completedBeforeTheStop = seen.stream().anyMatch(e -> e.path("detail").path("status").asString().equals("COMPLETE"));
    }

    try (LocalStack stack = LocalStack.start(options); StackFile.Published published = StackFile.publish(stack, home)) {
      Assumptions.assumeFalse(completedBeforeTheStop, "the job finished before the stack stopped: nothing to resume");
      JsonNode video = PipelineEndToEndTest.await("READY after the restart", () -> {
        Cli record = Cli.run(home, "videos", videoId, "--user", "ivy");
        JsonNode v = record.code() == 0 ? LocalStack.JSON.readTree(record.out()) : null;
        return v != null && v.path("status").asString().equals("READY") ? v : null;
      });
      assertThat(video.path("media").path("playlistUrl").asString()).isNotBlank();
      DescribeExecutionResponse done = PipelineEndToEndTest.await("the execution to end", () -> {
        DescribeExecutionResponse d = stack.sfnClient().describeExecution(b -> b.executionArn(execution));
        return d.status() == ExecutionStatus.RUNNING ? null : d;
      });
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.redriveCount()).isZero();
      assertThat(PipelineEndToEndTest.executionsFor(stack, "uploads/ivy/" + videoId + "/source")).containsExactly(execution);
      assertThat(PipelineEndToEndTest.transcodeJobsFor(stack, videoId)).as("the job that was running, run again")
          .singleElement().satisfies(job -> {
            assertThat(job.path("id").asString()).isEqualTo(jobId);
            assertThat(job.path("status").asString()).isEqualTo("COMPLETE");
          });
    }
  }

  /** The first event of {@code status} for {@code videoId}'s job, within a minute. */
  private static JsonNode awaitJob(BlockingQueue<JsonNode> seen, String videoId, String status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      JsonNode e = seen.poll(1, TimeUnit.SECONDS);
      if (e != null && e.path("detail").path("status").asString().equals(status)
          && videoId.equals(e.path("detail").path("userMetadata").path("videoId").asString(null))) {
        return e;
      }
    }
    throw new AssertionError("no " + status + " event for the job of " + videoId);
  }

  static String executionOf(LocalStack stack, String videoId) {
    List<String> executions = PipelineEndToEndTest.executionsFor(stack, "uploads/ivy/" + videoId + "/source");
    assertThat(executions).as("the executions for video %s", videoId).isNotEmpty();
    return executions.get(0);
  }
}
