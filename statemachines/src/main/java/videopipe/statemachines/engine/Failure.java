package videopipe.statemachines.engine;

import videopipe.statemachines.asl.StatesError;

/**
 * A States error raised deep inside data processing (a path that selects nothing, a JSONata
 * expression that throws), carried up to the state that handles it, where it becomes a value
 * again: a retry, a catch, or a {@link Step.Failed}. No stack trace: it is not a bug.
 */
final class Failure extends RuntimeException {

  final StatesError error;

  Failure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = new StatesError(error, cause);
  }

  static Failure runtime(String cause) {
    return new Failure(StatesError.RUNTIME, cause);
  }

  static Failure query(String cause) {
    return new Failure(StatesError.QUERY_EVALUATION_ERROR, cause);
  }
}
