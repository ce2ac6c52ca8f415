package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import videopipe.statemachines.asl.Json;

/**
 * An execution's history as it grows. Only the execution's own driver appends, one step at a
 * time; readers get copies. {@code previousEventId} is the event before (AWS sometimes points
 * further back, e.g. at the scheduling event; not reproduced yet).
 *
 * <p>Payloads ({@code input}, {@code output}) are kept as the values the engine made, which are
 * never mutated (see {@link Json}), and written as JSON text only when an event's details are
 * first read: most histories of a busy engine are never read at all.
 */
public final class History {

  private final Clock clock;
  private final List<HistoryEvent> events;
  /** Where each event is also written, or null (an engine without a data directory). */
  private final Journal journal;

  History(Clock clock) {
    this(clock, List.of(), null);
  }

  /** A history that goes on from {@code before} (read back from a journal), writing new events to {@code journal}. */
  History(Clock clock, List<HistoryEvent> before, Journal journal) {
    this.clock = clock;
    this.events = new ArrayList<>(before);
    this.journal = journal;
  }

  synchronized void add(String type, String detailsName, Object... keyValues) {
    Map<String, Object> details = detailsName == null ? null : new Details(keyValues);
    long id = events.size() + 1;
    HistoryEvent event = new HistoryEvent(id, id - 1, clock.instant(), type, detailsName, details);
    events.add(event);
    if (journal != null) {
      journal.append(line(event));
    }
  }

  synchronized int size() {
    return events.size();
  }

  /** Drops the events after the first {@code n} (recovery re-runs them from a checkpoint). */
  synchronized void truncate(int n) {
    events.subList(n, events.size()).clear();
  }

  /** An event as a journal line. */
  static Map<String, Object> line(HistoryEvent e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("k", "event");
    line.put("id", e.id());
    line.put("previousEventId", e.previousEventId());
    line.put("timestamp", e.timestamp().toString());
    line.put("type", e.type());
    if (e.detailsName() != null) {
      line.put("detailsName", e.detailsName());
      line.put("details", new LinkedHashMap<>(e.details()));
    }
    return line;
  }

  /** A journal line back as an event. */
  @SuppressWarnings("unchecked")
  static HistoryEvent event(Map<String, Object> line) {
    Map<String, Object> details = (Map<String, Object>) line.get("details");
    return new HistoryEvent(((Number) line.get("id")).longValue(), ((Number) line.get("previousEventId")).longValue(),
        java.time.Instant.parse((String) line.get("timestamp")), (String) line.get("type"),
        (String) line.get("detailsName"), details == null ? null : Collections.unmodifiableMap(details));
  }

  /**
   * Details fields {@code input}/{@code output}: JSON text, with AWS's {@code …Details: {truncated}}
   * after it, both made when the details are first read.
   */
  static Object[] payload(String field, Object value) {
    return new Object[] {field, new Payload(value)};
  }

  /** A details field holding {@code value} as JSON text, written when the details are first read. */
  static Object json(Object value) {
    return new Text(value);
  }

  synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }

  /** A payload as recorded: the value, not yet written. */
  private record Payload(Object value) {}

  /** A JSON text field as recorded: the value, not yet written. */
  private record Text(Object value) {}

  /**
   * An event's details: the key/value pairs as recorded (a null value leaves its key out), a
   * {@link Payload} standing for its two fields, a {@link Text} for its JSON text. Rendered once, on first read, by whichever
   * thread reads first; unmodifiable.
   */
  private static final class Details extends AbstractMap<String, Object> {

    private static final Map<String, Object> NOT_TRUNCATED = Map.of("truncated", false);

    private Object[] keyValues;
    private volatile Map<String, Object> rendered;

    Details(Object[] keyValues) {
      this.keyValues = keyValues;
    }

    private Map<String, Object> rendered() {
      Map<String, Object> r = rendered;
      if (r == null) {
        synchronized (this) {
          r = rendered;
          if (r == null) {
            r = render(keyValues);
            rendered = r;
            keyValues = null;
          }
        }
      }
      return r;
    }

    private static Map<String, Object> render(Object[] keyValues) {
      Map<String, Object> details = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        String key = (String) keyValues[i];
        Object value = keyValues[i + 1];
        if (value instanceof Payload p) {
          details.put(key, Json.write(p.value()));
          details.put(key + "Details", NOT_TRUNCATED);
        } else if (value instanceof Text t) {
          details.put(key, Json.write(t.value()));
        } else if (value != null) {
          details.put(key, value);
        }
      }
      return Collections.unmodifiableMap(details);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return rendered().entrySet();
    }

    @Override
    public Object get(Object key) {
      return rendered().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return rendered().containsKey(key);
    }

    @Override
    public int size() {
      return rendered().size();
    }
  }
}
