package videopipe.statemachines.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.Template;

/** Fills a template: {@code .$} paths against the scope's input (or context), {@code {% %}} expressions by JSONata. */
final class Templating {

  private Templating() {}

  static Object fill(Template t, Scope scope) {
    if (t instanceof Template.Literal l) {
      return l.value();
    }
    if (t instanceof Template.PathValue p) {
      try {
        return Paths.read(p.path(), scope.input(), scope.context());
      } catch (Failure f) {
        throw Failure.runtime("The JSONPath '" + p.path().text() + "' could not be found in the input '"
            + Json.write(p.path().context() ? scope.context() : scope.input()) + "'");
      }
    }
    if (t instanceof Template.IntrinsicValue i) {
      return Intrinsics.evaluate(i.call(), scope);
    }
    if (t instanceof Template.Expression x) {
      return Jsonatas.evaluate(x, scope);
    }
    if (t instanceof Template.ObjectTemplate o) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Template.Field f : o.fields()) {
        out.put(f.name(), fill(f.value(), scope));
      }
      return out;
    }
    Template.ArrayTemplate a = (Template.ArrayTemplate) t;
    List<Object> out = new ArrayList<>(a.items().size());
    for (Template item : a.items()) {
      out.add(fill(item, scope));
    }
    return out;
  }
}
