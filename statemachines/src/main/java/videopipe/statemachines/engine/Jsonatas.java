package videopipe.statemachines.engine;

import com.dashjoin.jsonata.Jsonata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.Template;

/**
 * Evaluates one {@code {% %}} expression with {@code $states} and the variables bound, each time in
 * a fresh frame of its own. Any error it raises, and a result that is undefined or a function,
 * is AWS's {@code States.QueryEvaluationError}.
 */
final class Jsonatas {

  private Jsonatas() {}

  static Object evaluate(Template.Expression x, Scope scope) {
    Jsonata expression = x.compiled();
    Object result;
    try {
      Jsonata.Frame frame = expression.createFrame();
      AwsFunctions.bind(frame);
      frame.bind("states", scope.states());
      for (Map.Entry<String, Object> v : scope.variables().entrySet()) {
        frame.bind(v.getKey(), v.getValue());
      }
      result = expression.evaluate(scope.input(), frame);
    } catch (RuntimeException e) {
      throw Failure.query("An error occurred while evaluating the JSONata expression '" + x.text().strip()
          + "' at " + x.location() + ": " + e.getMessage());
    }
    if (result == null) {
      // AWS refuses an expression that yields nothing (wording ours, not checked against AWS).
      throw Failure.query("The JSONata expression '" + x.text().strip() + "' at " + x.location()
          + " returned nothing (undefined)");
    }
    return plain(result, x);
  }

  /** Back to plain JSON values: JSONata's null marker to null, integral doubles to integers (JSON has one number type). */
  private static Object plain(Object v, Template.Expression x) {
    if (v == Jsonata.NULL_VALUE) {
      return null;
    }
    if (v instanceof Double d && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return d.longValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getValue() != null) {
          out.put(String.valueOf(e.getKey()), plain(e.getValue(), x));
        }
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(plain(o, x));
      }
      return out;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    throw Failure.query("The JSONata expression '" + x.text().strip() + "' at " + x.location()
        + " returned a value that is not JSON (a function?)");
  }
}
