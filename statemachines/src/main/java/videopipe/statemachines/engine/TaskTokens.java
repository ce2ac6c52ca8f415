package videopipe.statemachines.engine;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import videopipe.statemachines.asl.Json;

/**
 * The task tokens of {@code .waitForTaskToken} tasks still waiting, and SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat on them (which re-arms the task's HeartbeatSeconds). A token is closed as soon as its task stops
 * waiting (answered, failed, timed out), after which it is refused with TaskDoesNotExist, or with
 * TaskTimedOut, as AWS says, when its task timed out (remembered for the last
 * {@value #REMEMBERED_TIMEOUTS} such tokens).
 */
final class TaskTokens {

  private final Map<String, CompletableFuture<Invocation>> open = new ConcurrentHashMap<>();
  private final Map<String, Runnable> heartbeats = new ConcurrentHashMap<>();
  static final int REMEMBERED_TIMEOUTS = 10_000;
  /** Tokens whose task timed out, oldest first, so that a late answer hears TaskTimedOut. */
  private final Map<String, Boolean> timedOut = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_TIMEOUTS;
        }
      });

  /** The execution each open token belongs to, and each execution's tokens, so that its end closes them. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byExecution = new ConcurrentHashMap<>();

  /** {@code token} (none: nothing) is a task of {@code executionArn}. */
  void ownedBy(String token, String executionArn) {
    if (token != null) {
      owners.put(token, executionArn);
      byExecution.computeIfAbsent(executionArn, arn -> ConcurrentHashMap.newKeySet()).add(token);
    }
  }

  /**
   * The execution ended (stopped, timed out, failed elsewhere): its tasks still waiting are closed,
   * and a late SendTask* on their tokens hears TaskTimedOut, as on AWS ("the task associated with
   * the token has already been closed").
   */
  void closeAll(String executionArn) {
    Set<String> tokens = byExecution.remove(executionArn);
    if (tokens == null) {
      return;
    }
    for (String token : tokens) {
      CompletableFuture<Invocation> waiting = open.get(token);
      if (waiting != null && !waiting.isDone()) { // not the task whose answer ended the execution
        timedOut.put(token, Boolean.TRUE);
      }
      close(token);
    }
  }

  /**
   * Tokens of tasks that were waiting when the engine stopped, until their resumed task opens them
   * again: an answer that comes in between waits for that, instead of hearing TaskDoesNotExist.
   */
  private final Map<String, CompletableFuture<Void>> expected = new ConcurrentHashMap<>();
  static final long EXPECTED_WAIT_SECONDS = 30;

  /** {@code token}'s task is being resumed (recovery after a restart) and will open it again. */
  void expect(String token, String executionArn) {
    expected.putIfAbsent(token, new CompletableFuture<>());
    ownedBy(token, executionArn);
  }

  String newToken() {
    return UUID.randomUUID() + "-" + UUID.randomUUID();
  }

  CompletableFuture<Invocation> open(String token) {
    CompletableFuture<Invocation> f = new CompletableFuture<>();
    open.put(token, f);
    CompletableFuture<Void> resumed = expected.remove(token);
    if (resumed != null) {
      resumed.complete(null);
    }
    return f;
  }


  void close(String token) {
    open.remove(token);
    heartbeats.remove(token);
    String executionArn = owners.remove(token);
    if (executionArn != null) {
      byExecution.computeIfPresent(executionArn, (arn, tokens) -> {
        tokens.remove(token);
        return tokens.isEmpty() ? null : tokens;
      });
    }
    CompletableFuture<Void> resumed = expected.remove(token);
    if (resumed != null) {
      resumed.complete(null);
    }
  }

  /** Closes {@code token} as its task ended with {@code outcome}. */
  void close(String token, Invocation outcome) {
    if (outcome instanceof Invocation.Failed f
        && (videopipe.statemachines.asl.StatesError.TIMEOUT.equals(f.error())
            || videopipe.statemachines.asl.StatesError.HEARTBEAT_TIMEOUT.equals(f.error()))) {
      timedOut.put(token, Boolean.TRUE);
    }
    close(token);
  }

  /** What a heartbeat on {@code token} does (re-arm the task's HeartbeatSeconds). */
  void onHeartbeat(String token, Runnable beat) {
    heartbeats.put(token, beat);
  }

  void succeed(String token, String outputJson) {
    CompletableFuture<Invocation> f = lookup(token);
    Object output;
    try {
      output = Json.parse(outputJson);
    } catch (RuntimeException e) {
      throw new RequestRejected(RequestRejected.Code.InvalidOutput, "Invalid output: " + e.getMessage());
    }
    answer(token, f, new Invocation.Returned(output));
  }

  void fail(String token, String error, String cause) {
    answer(token, lookup(token), new Invocation.Failed(error, cause));
  }

  void heartbeat(String token) {
    lookup(token);
    Runnable beat = heartbeats.get(token);
    if (beat != null) {
      beat.run();
    }
  }

  private void answer(String token, CompletableFuture<Invocation> f, Invocation answer) {
    if (!f.complete(answer)) {
      throw new RequestRejected(RequestRejected.Code.TaskDoesNotExist, "Task for token " + token + " is no longer waiting");
    }
    close(token);
  }

  private CompletableFuture<Invocation> lookup(String token) {
    if (token == null || token.isEmpty() || token.length() > 2048) {
      throw new RequestRejected(RequestRejected.Code.InvalidToken, "Invalid token");
    }
    CompletableFuture<Invocation> f = open.get(token);
    CompletableFuture<Void> resuming = f == null ? expected.get(token) : null;
    if (resuming != null) {
      try {
        resuming.get(EXPECTED_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // not resumed in time: answered as a token that does not exist
      }
      f = open.get(token);
    }
    if (f == null && timedOut.containsKey(token)) {
      throw new RequestRejected(RequestRejected.Code.TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");
    }
    if (f == null) {
      throw new RequestRejected(RequestRejected.Code.TaskDoesNotExist, "Task Does Not Exist");
    }
    return f;
  }
}
