package videopipe.functions.transcode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import videopipe.functions.AwsErrors;

/**
 * {@link TaskTokens} on Step Functions. A token that no longer names a waiting task is an expected
 * outcome, not an error: the task timed out, its execution stopped, or a redrive re-ran the state
 * with a new token (and submitTranscode bound that one to the job).
 */
public final class StepFunctionsTaskTokens implements TaskTokens {

  /** Step Functions' limits on SendTaskFailure: error 256, cause 32768 characters. */
  static final int MAX_ERROR = 256;
  static final int MAX_CAUSE = 32_768;

  private final SfnClient client;

  public StepFunctionsTaskTokens(SfnClient client) {
    this.client = client;
  }

  @Override
  public Delivery succeed(String taskToken, String outputJson) {
    try {
      client.sendTaskSuccess(b -> b.taskToken(taskToken).output(outputJson));
      return Delivery.DELIVERED;
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
      return Delivery.gone(e.getClass().getSimpleName() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("sending task success", e);
    }
  }

  @Override
  public Delivery fail(String taskToken, String error, String cause) {
    try {
      client.sendTaskFailure(b -> b.taskToken(taskToken).error(cut(error, MAX_ERROR)).cause(cut(cause, MAX_CAUSE)));
      return Delivery.DELIVERED;
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
      return Delivery.gone(e.getClass().getSimpleName() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsErrors.classify("sending task failure", e);
    }
  }

  @Override
  public Delivery heartbeat(String taskToken) {
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
