package videopipe.functions.transcode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A hand fake of {@link TaskTokens}, kept minimal: no local Step Functions API is served to these
 * tests yet. Like Step Functions, it answers a token once; a second answer, or one to a token
 * marked expired, is refused as no longer waiting.
 */
final class FakeTaskTokens implements TaskTokens {

  record Answer(String token, boolean success, String payload) {}

  final List<Answer> answers = new ArrayList<>();
  private final Set<String> closed = new HashSet<>();

  @Override
  public synchronized Delivery succeed(String taskToken, String outputJson) {
    return answer(new Answer(taskToken, true, outputJson));
  }

  @Override
  public synchronized Delivery fail(String taskToken, String error, String cause) {
    return answer(new Answer(taskToken, false, error + ": " + cause));
  }

  final List<String> heartbeats = new ArrayList<>();

  @Override
  public synchronized Delivery heartbeat(String taskToken) {
    if (closed.contains(taskToken)) {
      return Delivery.gone("TaskTimedOutException: Provided task does not exist anymore");
    }
    heartbeats.add(taskToken);
    return Delivery.DELIVERED;
  }

  synchronized void expire(String token) {
    closed.add(token);
  }

  private Delivery answer(Answer a) {
    if (!closed.add(a.token())) {
      return Delivery.gone("TaskTimedOutException: Provided task does not exist anymore");
    }
    answers.add(a);
    return Delivery.DELIVERED;
  }
}
