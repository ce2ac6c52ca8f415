package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of an execution's history, as {@code GetExecutionHistory} returns it: {@code type}
 * (e.g. {@code TaskStateEntered}) and its details object under AWS's field name (e.g.
 * {@code stateEnteredEventDetails}), or none.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsName,
                           Map<String, Object> details) {

  /** The event as AWS's JSON API shapes it (timestamps left as {@link Instant} for the server to render). */
  public Map<String, Object> toAws() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("timestamp", timestamp);
    m.put("type", type);
    m.put("id", id);
    m.put("previousEventId", previousEventId);
    if (detailsName != null) {
      m.put(detailsName, details);
    }
    return m;
  }
}
