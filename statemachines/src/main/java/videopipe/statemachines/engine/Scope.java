package videopipe.statemachines.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a state's expressions can see: its input, the context object, the variables in scope, and,
 * once known, the task's result or the error output. JSONata sees them as {@code $states.*} and
 * {@code $name}; JSONPath templates see the input (or context) only.
 */
record Scope(Object input, Map<String, Object> context, Map<String, Object> variables, Object result,
             Object errorOutput, boolean hasResult, boolean hasError) {

  static Scope of(Object input, Map<String, Object> context, Map<String, Object> variables) {
    return new Scope(input, context, variables, null, null, false, false);
  }

  Scope withResult(Object r) {
    return new Scope(input, context, variables, r, errorOutput, true, hasError);
  }

  Scope withErrorOutput(Object e) {
    return new Scope(input, context, variables, result, e, hasResult, true);
  }

  Map<String, Object> states() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("input", input);
    s.put("context", context);
    if (hasResult) {
      s.put("result", result);
    }
    if (hasError) {
      s.put("errorOutput", errorOutput);
    }
    return s;
  }
}
