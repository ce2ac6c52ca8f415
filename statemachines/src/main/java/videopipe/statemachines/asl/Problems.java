package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one parse so that they can all be reported at once. */
final class Problems {

  private final List<Problem> found = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();

  /** A state named by a transition, checked once every state has been read. */
  record Target(String location, String state) {}

  void target(String location, String state) {
    targets.add(new Target(location, state));
  }

  List<Target> targets() {
    return targets;
  }

  /** Starts a new scope of targets (a Parallel branch's states see only each other); returns the old one. */
  List<Target> swapTargets(List<Target> scope) {
    List<Target> old = new ArrayList<>(targets);
    targets.clear();
    targets.addAll(scope);
    return old;
  }

  void schema(String location, String message) {
    found.add(new Problem(Problem.SCHEMA_VALIDATION_FAILED, location, message));
  }

  void missingTarget(String location, String message) {
    found.add(new Problem(Problem.MISSING_TRANSITION_TARGET, location, message));
  }

  void unsupported(String location, String message) {
    found.add(new Problem(Problem.UNSUPPORTED_FEATURE, location, message));
  }

  void add(Problem problem) {
    found.add(problem);
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<Problem> all() {
    return List.copyOf(found);
  }
}
