package videopipe.localstack.lambda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The local Lambda's fault-injection switch: makes a chosen function fail its next {@code n}
 * invocations, or every invocation until cleared, for tests and operators rehearsing failures
 * (transient → retried, permanent → FAILED → redrive).
 *
 * <p>A {@link Failure.FunctionError} is what the function throwing would report: Lambda's error
 * payload {@code {errorType, errorMessage}} with {@code X-Amz-Function-Error: Unhandled}, through the
 * same path as a real function error, so a state machine's Retry and Catch match the same
 * {@code errorType}. It is consumed when the function would run (each synchronous run, each attempt
 * of an asynchronous invocation), after a container slot was taken, as a real error is.
 *
 * <p>A {@link Failure.ServiceError} is Lambda's own answer to an {@code Invoke} call
 * ({@code TooManyRequestsException} 429, {@code ServiceException} 500), which Step Functions names
 * {@code Lambda.TooManyRequestsException} etc.; it is consumed by each {@code Invoke} call: a
 * synchronous one, or the acceptance of an asynchronous one (which then answers the error instead of
 * 202, as the EventBridge target sees it).
 *
 * <p>Setting a fault for a function replaces the one it had. Faults name functions by name; they
 * are in memory and end with the stack.
 */
public final class Faults {

  /** What an injected failure looks like. */
  public sealed interface Failure {
    /** As the function throwing {@code errorType} with {@code errorMessage} would report it. */
    record FunctionError(String errorType, String errorMessage) implements Failure {
      public FunctionError {
        if (errorType == null || errorType.isBlank()) {
          throw new IllegalArgumentException("errorType is required (the exception's class name, e.g. "
              + "videopipe.functions.TransientFailure)");
        }
        errorMessage = errorMessage == null ? errorType : errorMessage;
      }
    }

    /** Lambda's own error for the Invoke call: {@code TooManyRequestsException} or {@code ServiceException}. */
    record ServiceError(LambdaException.Code code, String message) implements Failure {
      public ServiceError {
        Objects.requireNonNull(code, "code");
        if (code != LambdaException.Code.TooManyRequestsException && code != LambdaException.Code.ServiceException) {
          throw new IllegalArgumentException("a service error is TooManyRequestsException or ServiceException, not " + code);
        }
        message = message == null ? (code == LambdaException.Code.TooManyRequestsException ? "Rate Exceeded." : "injected")
            : message;
      }
    }
  }

  /**
   * A function's fault as it stands.
   *
   * @param remaining invocations it will still fail, or -1 until cleared
   * @param injected how many invocations it failed so far
   */
  public record Fault(String function, Failure failure, int remaining, int injected) {
    public boolean untilCleared() {
      return remaining < 0;
    }
  }

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Predicate<String> deployed;

  Faults(Predicate<String> deployed) {
    this.deployed = deployed;
  }

  /** Fails the next {@code count} invocations of {@code function} as if it threw {@code errorType}. */
  public Fault failNext(String function, int count, String errorType, String errorMessage) {
    return set(function, new Failure.FunctionError(errorType, errorMessage), requirePositive(count));
  }

  /** Fails every invocation of {@code function} as if it threw {@code errorType}, until {@link #clear}. */
  public Fault failUntilCleared(String function, String errorType, String errorMessage) {
    return set(function, new Failure.FunctionError(errorType, errorMessage), -1);
  }

  /** Answers the next {@code count} Invoke calls of {@code function} with Lambda's {@code code} error. */
  public Fault serviceErrorNext(String function, int count, LambdaException.Code code, String message) {
    return set(function, new Failure.ServiceError(code, message), requirePositive(count));
  }

  /** Answers every Invoke call of {@code function} with Lambda's {@code code} error, until {@link #clear}. */
  public Fault serviceErrorUntilCleared(String function, LambdaException.Code code, String message) {
    return set(function, new Failure.ServiceError(code, message), -1);
  }

  /** Sets a fault; {@code count} -1 for until cleared. */
  public Fault set(String function, Failure failure, int count) {
    String name = LocalLambda.nameOf(Objects.requireNonNull(function, "function"));
    if (!deployed.test(name)) {
      throw new LambdaException(LambdaException.Code.ResourceNotFoundException, "Function not found: " + name);
    }
    Fault fault = new Fault(name, Objects.requireNonNull(failure, "failure"), count, 0);
    faults.put(name, fault);
    return fault;
  }

  /** Removes {@code function}'s fault; returns what it was, or null. */
  public Fault clear(String function) {
    return faults.remove(LocalLambda.nameOf(function));
  }

  public void clearAll() {
    faults.clear();
  }

  /** The faults set now, by function name. */
  public List<Fault> list() {
    List<Fault> out = new ArrayList<>(faults.values());
    out.sort(Comparator.comparing(Fault::function));
    return out;
  }

  /** The fault of {@code function}, or null. */
  public Fault get(String function) {
    return faults.get(LocalLambda.nameOf(function));
  }

  /** Consumes one invocation's worth of {@code function}'s fault, if it is of {@code kind}. */
  <T extends Failure> T take(String function, Class<T> kind) {
    Fault[] taken = new Fault[1];
    faults.computeIfPresent(function, (name, f) -> {
      if (!kind.isInstance(f.failure())) {
        return f;
      }
      taken[0] = f;
      if (f.remaining() < 0) {
        return new Fault(name, f.failure(), -1, f.injected() + 1);
      }
      return f.remaining() == 1 ? null : new Fault(name, f.failure(), f.remaining() - 1, f.injected() + 1);
    });
    return taken[0] == null ? null : kind.cast(taken[0].failure());
  }

  private static int requirePositive(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count + " (use failUntilCleared for no limit)");
    }
    return count;
  }
}
