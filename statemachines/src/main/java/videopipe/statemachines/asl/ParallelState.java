package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs every branch on the same input, concurrently; its result is the array of the branches'
 * outputs, in branch order. A failing branch fails the state (with that branch's error), subject
 * to its Retry (which re-runs all branches) and Catch.
 */
public record ParallelState(String name, QueryLanguage queryLanguage, List<Branch> branches, Io io, List<Retrier> retry,
                            List<Catcher> catchers, Transition then) implements State {

  @Override
  public String type() {
    return "Parallel";
  }

  static ParallelState parse(String name, Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("Branches", "Next", "End", "InputPath", "Parameters", "ResultSelector", "ResultPath",
          "OutputPath", "Retry", "Catch")), State.JSONPATH_NOT_YET, "by a JSONPath Parallel state");
    } else {
      o.allowOnly(State.fields(Set.of("Branches", "Next", "End", "Arguments", "Output", "Assign", "Retry", "Catch")),
          Set.of(), "by a JSONata Parallel state");
    }
    List<Branch> branches = new ArrayList<>();
    if (!o.has("Branches")) {
      o.problems.schema(o.path, "missing required field 'Branches'");
    } else if (o.get("Branches").isArray() && o.get("Branches").isEmpty()) {
      o.problems.schema(o.at("Branches"), "must hold at least one branch");
    }
    for (Obj.Located item : o.array("Branches")) {
      Obj.of(item.node(), item.path(), o.problems).ifPresent(b -> {
        b.allowOnly(Set.of("StartAt", "States", "Comment"), Set.of(), "in a Parallel branch");
        branches.add(DefinitionParser.machine(b, language));
      });
    }
    return new ParallelState(name, language, List.copyOf(branches), Io.parse(o, language), TaskState.retry(o),
        TaskState.catchers(o, language), Transitions.read(o));
  }
}
