package videopipe.statemachines.asl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * ASL JSON → {@link Definition}. Reads everything before failing, like LocalStack's
 * {@code asl_parser.py}, so one {@link InvalidDefinition} lists every problem with its location.
 */
final class DefinitionParser {

  private DefinitionParser() {}

  static Definition parse(String json) {
    Problems problems = new Problems();
    JsonNode root;
    try {
      root = Json.tree(json);
    } catch (JacksonException e) {
      throw new InvalidDefinition(List.of(new Problem(Problem.INVALID_JSON_DESCRIPTION, "/", "not JSON: " + e.getOriginalMessage())));
    }
    Optional<Obj> top = Obj.of(root, "", problems);
    if (top.isEmpty()) {
      throw new InvalidDefinition(problems.all());
    }
    Obj o = top.get();
    o.allowOnly(Set.of("Comment", "StartAt", "States", "Version", "QueryLanguage", "TimeoutSeconds"), Set.of(),
        "at the top level of a state machine");
    Optional<Long> timeout = o.integer("TimeoutSeconds", 1, 99_999_999);
    QueryLanguage language = QueryLanguage.parse(o, problems).orElse(QueryLanguage.JSONPATH);
    Branch machine = machine(o, language);
    if (!problems.isEmpty()) {
      throw new InvalidDefinition(problems.all());
    }
    return new Definition(machine.startAt(), machine.states(), language, timeout);
  }

  /**
   * {@code StartAt} and {@code States}, of the definition or of a Parallel branch: transitions
   * are checked within this level only, as a branch cannot go to a state outside it.
   */
  static Branch machine(Obj o, QueryLanguage language) {
    Problems problems = o.problems;
    List<Problems.Target> outer = problems.swapTargets(List.of());
    Optional<String> startAt = o.requiredString("StartAt");
    startAt.ifPresent(s -> problems.target(o.at("StartAt"), s));

    Map<String, State> states = new LinkedHashMap<>();
    if (!o.has("States")) {
      problems.schema(o.path, "missing required field 'States'");
    } else {
      o.object("States").ifPresent(s -> readStates(s, language, states));
    }
    for (Problems.Target t : problems.targets()) {
      if (!states.containsKey(t.state())) {
        problems.missingTarget(t.location(), "state '" + t.state() + "' does not exist");
      }
    }
    if (startAt.isPresent() && states.containsKey(startAt.get())) {
      Set<String> reached = reachable(startAt.get(), states);
      for (String name : states.keySet()) {
        if (!reached.contains(name)) {
          // Wording ours; AWS also refuses unreachable states (not checked against AWS's text).
          problems.schema(o.at("States") + "/" + name, "state '" + name + "' is not reachable from StartAt");
        }
      }
    }
    problems.swapTargets(outer);
    return new Branch(startAt.orElse(""), Collections.unmodifiableMap(states));
  }

  private static void readStates(Obj s, QueryLanguage topLanguage, Map<String, State> states) {
    if (s.node.isEmpty()) {
      s.problems.schema(s.path, "must hold at least one state");
    }
    for (Map.Entry<String, JsonNode> e : s.node.properties()) {
      String name = e.getKey();
      String at = s.at(name);
      if (name.isEmpty() || name.length() > 80) {
        s.problems.schema(at, "a state name must be 1 to 80 characters long");
      }
      Obj.of(e.getValue(), at, s.problems).flatMap(o -> state(name, o, topLanguage)).ifPresent(st -> states.put(name, st));
    }
  }

  private static Optional<State> state(String name, Obj o, QueryLanguage topLanguage) {
    Optional<QueryLanguage> own = QueryLanguage.parse(o, o.problems);
    if (topLanguage == QueryLanguage.JSONATA && own.orElse(topLanguage) == QueryLanguage.JSONPATH) {
      o.problems.schema(o.at("QueryLanguage"), "a state cannot use JSONPath when the state machine uses JSONata");
    }
    QueryLanguage language = own.orElse(topLanguage);
    Optional<String> type = o.requiredString("Type");
    if (type.isEmpty()) {
      return Optional.empty();
    }
    switch (type.get()) {
      case "Pass":
        return Optional.of(PassState.parse(name, o, language));
      case "Task":
        return Optional.of(TaskState.parse(name, o, language));
      case "Choice":
        return Optional.of(ChoiceState.parse(name, o, language));
      case "Wait":
        return Optional.of(WaitState.parse(name, o, language));
      case "Succeed":
        return Optional.of(SucceedState.parse(name, o, language));
      case "Fail":
        return Optional.of(FailState.parse(name, o, language));
      case "Parallel":
        return Optional.of(ParallelState.parse(name, o, language));
      case "Map":
        return Optional.of(MapState.parse(name, o, language));
      default:
        o.problems.schema(o.at("Type"), "'" + type.get() + "' is not a state type");
        return Optional.empty();
    }
  }

  private static Set<String> reachable(String start, Map<String, State> states) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      State s = states.get(name);
      if (s == null || !seen.add(name)) {
        continue;
      }
      todo.addAll(targets(s));
    }
    return seen;
  }

  private static List<String> targets(State s) {
    List<String> out = new ArrayList<>();
    Transition then = null;
    if (s instanceof PassState p) {
      then = p.then();
    } else if (s instanceof WaitState w) {
      then = w.then();
    } else if (s instanceof TaskState t) {
      then = t.then();
      t.catchers().forEach(c -> out.add(c.next()));
    } else if (s instanceof ParallelState p) {
      then = p.then();
      p.catchers().forEach(c -> out.add(c.next()));
    } else if (s instanceof MapState m) {
      then = m.then();
      m.catchers().forEach(c -> out.add(c.next()));
    } else if (s instanceof ChoiceState c) {
      c.choices().forEach(r -> out.add(r.next()));
      c.defaultState().ifPresent(out::add);
    }
    if (then instanceof Transition.Next n) {
      out.add(n.state());
    }
    return out;
  }
}
