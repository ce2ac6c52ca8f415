package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cursors as plain JSON values and back, for the journal: every field, so that a cursor read back
 * resumes exactly where the written one was (inside a state, a call's token and outcome, each
 * Parallel branch's progress).
 */
final class Snapshots {

  private Snapshots() {}

  static Map<String, Object> cursor(Cursor c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", c.state());
    m.put("input", c.input());
    m.put("variables", c.variables());
    m.put("entered", c.entered());
    m.put("enteredTime", instant(c.enteredTime()));
    m.put("retries", c.retries());
    m.put("wakeAt", instant(c.wakeAt()));
    m.put("taskToken", c.taskToken());
    if (c.outcome() instanceof Invocation.Returned r) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("returned", true);
      o.put("output", r.output());
      m.put("outcome", o);
    } else if (c.outcome() instanceof Invocation.Failed f) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("error", f.error());
      o.put("cause", f.cause());
      m.put("outcome", o);
    }
    if (c.branches() != null) {
      List<Object> branches = new ArrayList<>();
      for (Cursor.BranchProgress p : c.branches()) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("output", p.output());
        b.put("resumeAt", p.resumeAt() == null ? null : cursor(p.resumeAt()));
        branches.add(b);
      }
      m.put("branches", branches);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static Cursor cursor(Object value) {
    Map<String, Object> m = (Map<String, Object>) value;
    Invocation outcome = null;
    if (m.get("outcome") instanceof Map<?, ?> o) {
      outcome = Boolean.TRUE.equals(o.get("returned")) ? new Invocation.Returned(o.get("output"))
          : new Invocation.Failed((String) o.get("error"), (String) o.get("cause"));
    }
    List<Cursor.BranchProgress> branches = null;
    if (m.get("branches") instanceof List<?> list) {
      branches = new ArrayList<>();
      for (Object b : list) {
        Map<String, Object> bm = (Map<String, Object>) b;
        branches.add(new Cursor.BranchProgress(bm.get("output"), bm.get("resumeAt") == null ? null : cursor(bm.get("resumeAt"))));
      }
      branches = List.copyOf(branches);
    }
    List<Integer> retries = new ArrayList<>();
    for (Object r : (List<Object>) m.getOrDefault("retries", List.of())) {
      retries.add(((Number) r).intValue());
    }
    Map<String, Object> variables = m.get("variables") == null ? Map.of() : (Map<String, Object>) m.get("variables");
    return new Cursor((String) m.get("state"), m.get("input"), variables, Boolean.TRUE.equals(m.get("entered")),
        instant(m.get("enteredTime")), List.copyOf(retries), instant(m.get("wakeAt")), (String) m.get("taskToken"), outcome,
        branches);
  }

  static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  static Instant instant(Object s) {
    return s == null ? null : Instant.parse((String) s);
  }
}
