package videopipe.statemachines.asl;

import java.util.HashSet;
import java.util.Set;

/** A state of a definition, in the query language it was written in. */
public sealed interface State permits PassState, TaskState, ChoiceState, WaitState, SucceedState, FailState,
    ParallelState, MapState {

  String name();

  QueryLanguage queryLanguage();

  /** The {@code Type} as written, which also prefixes the state's history events ({@code TaskStateEntered}). */
  String type();

  /** Fields every state may have. */
  Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");

  /** JSONPath-only fields not run yet: refused by name so nothing is silently ignored. */
  Set<String> JSONPATH_NOT_YET = Set.of("Assign");

  static Set<String> fields(Set<String> own) {
    Set<String> all = new HashSet<>(COMMON);
    all.addAll(own);
    return all;
  }
}
