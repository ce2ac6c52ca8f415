package videopipe.statemachines.asl;

import java.util.Map;

/** A set of states with a start: a whole definition's, or one branch of a Parallel state. */
public record Branch(String startAt, Map<String, State> states) {

  public State state(String name) {
    State s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no state named '" + name + "'");
    }
    return s;
  }
}
