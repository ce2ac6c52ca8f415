package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The error names a Retrier or Catcher handles. Matching follows AWS's error-handling guide
 * (checked 2026-11 against docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling):
 * {@code States.ALL} matches any error except the terminal {@code States.DataLimitExceeded} and
 * {@code States.Runtime}; {@code States.TaskFailed} matches any error except {@code States.Timeout}
 * (that it also spares the two terminal errors is our reading, not checked against AWS).
 */
public record ErrorEquals(List<String> names) {

  public static final String ALL = "States.ALL";
  public static final String TASK_FAILED = "States.TaskFailed";

  public boolean matches(String error) {
    boolean terminal = StatesError.RUNTIME.equals(error) || StatesError.DATA_LIMIT_EXCEEDED.equals(error);
    for (String name : names) {
      if (name.equals(error)) {
        return true;
      }
      if (ALL.equals(name) && !terminal) {
        return true;
      }
      if (TASK_FAILED.equals(name) && !terminal && !StatesError.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  boolean isAll() {
    return names.contains(ALL);
  }

  static Optional<ErrorEquals> parse(Obj o) {
    if (!o.has("ErrorEquals")) {
      o.problems.schema(o.path, "missing required field 'ErrorEquals'");
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    List<Obj.Located> items = o.array("ErrorEquals");
    if (o.get("ErrorEquals").isArray() && items.isEmpty()) {
      o.problems.schema(o.at("ErrorEquals"), "must name at least one error");
    }
    for (Obj.Located item : items) {
      if (!item.node().isString()) {
        o.problems.schema(item.path(), "must be a string");
      } else {
        names.add(item.node().stringValue());
      }
    }
    if (names.contains(ALL) && names.size() > 1) {
      o.problems.schema(o.at("ErrorEquals"), "'" + ALL + "' must appear alone in ErrorEquals");
    }
    return Optional.of(new ErrorEquals(List.copyOf(names)));
  }

  /** States.ALL, if used, must be in the last Retrier or Catcher of its list. */
  static void checkAllIsLast(List<ErrorEquals> list, List<String> locations, Problems problems) {
    for (int i = 0; i < list.size() - 1; i++) {
      if (list.get(i).isAll()) {
        problems.schema(locations.get(i), "'" + ALL + "' must be in the last element of its list");
      }
    }
  }
}
