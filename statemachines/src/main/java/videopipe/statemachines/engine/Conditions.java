package videopipe.statemachines.engine;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import videopipe.statemachines.asl.Comparison;
import videopipe.statemachines.asl.Condition;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.WaitState;

/**
 * Whether a Choice rule holds. A comparison whose value has the wrong type is false (AWS: "a
 * StringEquals on a number is false", not an error); a Variable that selects nothing is a
 * States.Runtime error, except for IsPresent.
 */
final class Conditions {

  private Conditions() {}

  static boolean holds(Condition c, Object input, Scope scope) {
    if (c instanceof Condition.And and) {
      return and.all().stream().allMatch(x -> holds(x, input, scope));
    }
    if (c instanceof Condition.Or or) {
      return or.any().stream().anyMatch(x -> holds(x, input, scope));
    }
    if (c instanceof Condition.Not not) {
      return !holds(not.condition(), input, scope);
    }
    if (c instanceof Condition.Expression x) {
      Object v = Jsonatas.evaluate(x.expression(), scope);
      if (!(v instanceof Boolean b)) {
        throw Failure.query("The Condition at " + x.expression().location() + " must yield a boolean, yielded " + Json.write(v));
      }
      return b;
    }
    Condition.Compare cmp = (Condition.Compare) c;
    Map<String, Object> context = scope.context();
    if (cmp.comparison() == Comparison.IS_PRESENT) {
      return Paths.present(cmp.variable(), input, context) == (Boolean) cmp.value();
    }
    if (!Paths.present(cmp.variable(), input, context)) {
      throw Failure.runtime("Invalid path '" + cmp.variable().text()
          + "': The choice state's condition path references an invalid value.");
    }
    Object v = Paths.read(cmp.variable(), input, context);
    Object operand = cmp.valuePath() != null ? Paths.read(cmp.valuePath(), input, context) : cmp.value();
    Comparison op = cmp.comparison();
    switch (op.kind()) {
      case TEST:
        return test(op, v) == (Boolean) operand;
      case BOOLEAN:
        return v instanceof Boolean && v.equals(operand);
      case STRING:
        if (!(v instanceof String s) || !(operand instanceof String o)) {
          return false;
        }
        return op == Comparison.STRING_MATCHES ? matches(s, o) : order(op, s.compareTo(o));
      case NUMERIC:
        if (!(v instanceof Number n) || !(operand instanceof Number o)) {
          return false;
        }
        return order(op, new BigDecimal(n.toString()).compareTo(new BigDecimal(o.toString())));
      default:
        Optional<Instant> a = v instanceof String s ? WaitState.timestamp(s) : Optional.empty();
        Optional<Instant> b = operand instanceof String s ? WaitState.timestamp(s) : Optional.empty();
        return a.isPresent() && b.isPresent() && order(op, a.get().compareTo(b.get()));
    }
  }

  private static boolean test(Comparison op, Object v) {
    switch (op) {
      case IS_NULL:
        return v == null;
      case IS_NUMERIC:
        return v instanceof Number;
      case IS_STRING:
        return v instanceof String;
      case IS_BOOLEAN:
        return v instanceof Boolean;
      default:
        return v instanceof String s && WaitState.timestamp(s).isPresent();
    }
  }

  private static boolean order(Comparison op, int c) {
    String name = op.field();
    if (name.endsWith("LessThanEquals")) {
      return c <= 0;
    }
    if (name.endsWith("GreaterThanEquals")) {
      return c >= 0;
    }
    if (name.endsWith("LessThan")) {
      return c < 0;
    }
    if (name.endsWith("GreaterThan")) {
      return c > 0;
    }
    return c == 0;
  }

  /** StringMatches: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
  static boolean matches(String s, String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\\' && i + 1 < pattern.length()) {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (ch == '*') {
        regex.append(".*");
      } else {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(ch)));
      }
    }
    return s.matches("(?s)" + regex);
  }
}
