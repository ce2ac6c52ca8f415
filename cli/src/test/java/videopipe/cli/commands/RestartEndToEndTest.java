package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static videopipe.cli.commands.PipelineEndToEndTest.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  static String executionOf(LocalStack stack, String videoId) {
    List<String> executions = PipelineEndToEndTest.executionsFor(stack, "uploads/ivy/" + videoId + "/source");
    assertThat(executions).as("the executions for video %s", videoId).isNotEmpty();
    return executions.get(0);
  }
}
