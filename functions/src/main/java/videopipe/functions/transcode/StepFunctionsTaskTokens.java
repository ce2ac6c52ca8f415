package videopipe.functions.transcode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import videopipe.functions.AwsErrors;

/**
 * Answers a {@code .waitForTaskToken} task on Step Functions (AWS's, or the local stack's through
 * {@code AWS_ENDPOINT_URL_SFN}). A token that no longer names a waiting task is an expected
 * outcome, not an error: the task timed out, its execution stopped, or a redrive re-ran the state
 * with a new token (and submitTranscode bound that one to the job).
 */
final class StepFunctionsTaskTokens {

  /**
   * Whether the answer reached a waiting task. {@code delivered} false: the token is no longer valid
   * (the task timed out, the execution ended or was redriven with a new token), and why.
   */
  record Delivery(boolean delivered, String why) {
    static final Delivery DELIVERED = new Delivery(true, null);

    static Delivery gone(String why) {
      return new Delivery(false, why);
    }
  }

  /** Step Functions' limits on SendTaskFailure: error 256, cause 32768 characters. */
  static final int MAX_ERROR = 256;
  static final int MAX_CAUSE = 32_768;

  private final SfnClient client;

  StepFunctionsTaskTokens(SfnClient client) {
    this.client = client;
  }

  /** SendTaskSuccess with this JSON output. */
  Delivery succeed(String taskToken, String outputJson) {
    try {
      client.sendTaskSuccess(b -> b.taskToken(taskToken).output(outputJson));
      return Delivery.DELIVERED;
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
      return Delivery.gone(e.getClass().getSimpleName() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("sending task success", e);
    }
  }

  /** SendTaskFailure with this error and cause (cut to Step Functions' limits). */
  Delivery fail(String taskToken, String error, String cause) {
    try {
      client.sendTaskFailure(b -> b.taskToken(taskToken).error(cut(error, MAX_ERROR)).cause(cut(cause, MAX_CAUSE)));
      return Delivery.DELIVERED;
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
      return Delivery.gone(e.getClass().getSimpleName() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("sending task failure", e);
    }
  }

  /** SendTaskHeartbeat: the job is still running, so the task's HeartbeatSeconds starts over. */
  Delivery heartbeat(String taskToken) {
    try {
      client.sendTaskHeartbeat(b -> b.taskToken(taskToken));
      return Delivery.DELIVERED;
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
      return Delivery.gone(e.getClass().getSimpleName() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("sending a task heartbeat", e);
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
