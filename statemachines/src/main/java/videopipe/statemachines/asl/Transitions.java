package videopipe.statemachines.asl;

/** Reads a state's transition and records its target for the existence check. */
final class Transitions {

  private Transitions() {}

  static Transition read(Obj o) {
    Transition t = Transition.parse(o);
    if (t instanceof Transition.Next next && o.has("Next")) {
      o.problems.target(o.at("Next"), next.state());
    }
    return t;
  }
}
