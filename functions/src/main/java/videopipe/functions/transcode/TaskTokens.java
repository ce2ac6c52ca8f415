package videopipe.functions.transcode;

/**
 * Answers a {@code .waitForTaskToken} task. Like {@link TranscodeJobs}, a seam that exists ONLY
 * because no local Step Functions API is served to the functions' tests yet; the one real adapter
 * is {@link StepFunctionsTaskTokens}, the tests use a hand fake.
 */
public interface TaskTokens {

  /** SendTaskSuccess with this JSON output. */
  Delivery succeed(String taskToken, String outputJson);

  /** SendTaskFailure with this error and cause. */
  Delivery fail(String taskToken, String error, String cause);

  /** SendTaskHeartbeat: the job is still running, so the task's HeartbeatSeconds starts over. */
  Delivery heartbeat(String taskToken);

  /**
   * Whether the answer reached a waiting task. {@code delivered} false: the token is no longer valid
   * (the task timed out, the execution ended or was redriven with a new token), and why.
   */
  record Delivery(boolean delivered, String why) {
    public static final Delivery DELIVERED = new Delivery(true, null);

    public static Delivery gone(String why) {
      return new Delivery(false, why);
    }
  }
}
