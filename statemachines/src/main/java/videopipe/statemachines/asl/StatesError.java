package videopipe.statemachines.asl;

/** An error as Step Functions names it, with its optional cause. */
public record StatesError(String error, String cause) {

  public static final String RUNTIME = "States.Runtime";
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
  public static final String TIMEOUT = "States.Timeout";
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";

  public static StatesError runtime(String cause) {
    return new StatesError(RUNTIME, cause);
  }
}
