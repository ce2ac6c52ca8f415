package videopipe.statemachines.asl;

import java.util.List;
import java.util.stream.Collectors;

/** A definition the engine refuses, with every problem found in it, not just the first. */
public final class InvalidDefinition extends RuntimeException {

  private final List<Problem> problems;

  public InvalidDefinition(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n", "Invalid State Machine Definition:\n", "")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
