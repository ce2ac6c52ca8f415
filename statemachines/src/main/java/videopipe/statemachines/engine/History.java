package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.Json;

/**
 * An execution's history as it grows. Only the execution's own driver appends, one step at a
 * time; readers get copies. {@code previousEventId} is the event before (AWS sometimes points
 * further back, e.g. at the scheduling event; not reproduced yet).
 */
public final class History {

  private final Clock clock;
  private final List<HistoryEvent> events = new ArrayList<>();

  History(Clock clock) {
    this.clock = clock;
  }

  synchronized void add(String type, String detailsName, Object... keyValues) {
    Map<String, Object> details = null;
    if (detailsName != null) {
      details = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        if (keyValues[i + 1] != null) {
          details.put((String) keyValues[i], keyValues[i + 1]);
        }
      }
    }
    long id = events.size() + 1;
    events.add(new HistoryEvent(id, id - 1, clock.instant(), type, detailsName, details));
  }

  /** Details fields {@code input}/{@code output} hold JSON text, with AWS's {@code …Details: {truncated}}. */
  static Object[] payload(String field, Object value) {
    return new Object[] {field, Json.write(value), field + "Details", Map.of("truncated", false)};
  }

  synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }
}
