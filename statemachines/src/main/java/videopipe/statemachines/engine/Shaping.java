package videopipe.statemachines.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import videopipe.statemachines.asl.Io;

/**
 * A state's input and output processing in its query language. JSONPath: InputPath → Parameters
 * on the way in; ResultSelector → ResultPath (into the raw input) → OutputPath on the way out.
 * JSONata: Arguments on the way in; Output and Assign, evaluated side by side (Output does not
 * see what Assign sets), on the way out.
 */
final class Shaping {

  record Shaped(Object output, Map<String, Object> variables) {}

  private Shaping() {}

  /** The input after InputPath only (what Choice, Wait and Succeed work on in JSONPath). */
  static Object selected(Io io, Scope scope) {
    if (io instanceof Io.Paths p) {
      return p.inputPath().isNone() ? Map.of() : Paths.read(p.inputPath(), scope.input(), scope.context());
    }
    return scope.input();
  }

  /** The effective input: JSONPath InputPath + Parameters; JSONata Arguments (default: the input). */
  static Object effective(Io io, Scope scope) {
    if (io instanceof Io.Paths p) {
      Object selected = selected(io, scope);
      return p.parameters().isEmpty() ? selected : Templating.fill(p.parameters().get(), withInput(scope, selected));
    }
    Io.Jsonata j = (Io.Jsonata) io;
    return j.arguments().isEmpty() ? scope.input() : Templating.fill(j.arguments().get(), scope);
  }

  /**
   * The state's output from {@code result} (JSONPath) or from Output (JSONata, default
   * {@code defaultOutput}), and the variables after Assign.
   */
  static Shaped output(Io io, Scope scope, Object result, Object defaultOutput) {
    if (io instanceof Io.Paths p) {
      Object selected = p.resultSelector().isEmpty() ? result : Templating.fill(p.resultSelector().get(), withInput(scope, result));
      Object merged = Paths.write(p.resultPath(), scope.input(), selected);
      Object out = p.outputPath().isNone() ? Map.of() : Paths.read(p.outputPath(), merged, scope.context());
      return new Shaped(out, scope.variables());
    }
    Io.Jsonata j = (Io.Jsonata) io;
    Object out = j.output().isEmpty() ? defaultOutput : Templating.fill(j.output().get(), scope);
    return new Shaped(out, assign(j.assign(), scope));
  }

  static Map<String, Object> assign(java.util.Optional<videopipe.statemachines.asl.Template> assign, Scope scope) {
    if (assign.isEmpty()) {
      return scope.variables();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> assigned = (Map<String, Object>) Templating.fill(assign.get(), scope);
    Map<String, Object> variables = new LinkedHashMap<>(scope.variables());
    variables.putAll(assigned);
    return nullSafe(variables);
  }

  /** Not Map.copyOf: a variable may well hold JSON null. */
  private static Map<String, Object> nullSafe(Map<String, Object> m) {
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Scope withInput(Scope scope, Object input) {
    return new Scope(input, scope.context(), scope.variables(), scope.result(), scope.errorOutput(), scope.hasResult(),
        scope.hasError());
  }
}
