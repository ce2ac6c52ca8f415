package videopipe.statemachines.engine;

import java.time.Clock;
import java.time.Instant;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.WaitState;
import videopipe.statemachines.asl.WaitState.WaitFor;

/** Wait: works out when to wake (once, on entry), waits on the injected clock, then passes its input on. */
final class WaitEvaluator {

  private WaitEvaluator() {}

  static Step evaluate(WaitState wait, Cursor cursor, Scope scope, Clock clock) {
    Object selected = Shaping.selected(wait.io(), scope);
    Instant until = cursor.wakeAt() != null ? cursor.wakeAt() : until(wait.waitFor(), selected, scope, clock);
    if (clock.instant().isBefore(until)) {
      return new Step.Waiting(until, cursor.waking(until));
    }
    return Evaluator.then(wait.then(), Shaping.output(wait.io(), scope, selected, scope.input()));
  }

  private static Instant until(WaitFor w, Object selected, Scope scope, Clock clock) {
    if (w instanceof WaitFor.Seconds s) {
      return clock.instant().plusSeconds(s.seconds());
    }
    if (w instanceof WaitFor.Until u) {
      return u.timestamp();
    }
    if (w instanceof WaitFor.SecondsPath p) {
      return clock.instant().plusSeconds(seconds(Paths.read(p.path(), selected, scope.context()), p.path().text()));
    }
    if (w instanceof WaitFor.TimestampPath p) {
      return timestamp(Paths.read(p.path(), selected, scope.context()), p.path().text());
    }
    if (w instanceof WaitFor.SecondsExpression x) {
      return clock.instant().plusSeconds(seconds(Jsonatas.evaluate(x.expression(), scope), x.expression().location()));
    }
    WaitFor.TimestampExpression x = (WaitFor.TimestampExpression) w;
    return timestamp(Jsonatas.evaluate(x.expression(), scope), x.expression().location());
  }

  private static long seconds(Object v, String where) {
    if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw Failure.runtime("The seconds to wait from " + where + " must be a non-negative integer, was " + Json.write(v));
  }

  private static Instant timestamp(Object v, String where) {
    if (v instanceof String s) {
      var t = WaitState.timestamp(s);
      if (t.isPresent()) {
        return t.get();
      }
    }
    throw Failure.runtime("The timestamp to wait for from " + where + " must be an RFC 3339 timestamp, was " + Json.write(v));
  }
}
