package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Goes to the {@code Next} of the first rule that holds, else to {@code Default}, else fails with States.NoChoiceMatched. */
public record ChoiceState(String name, QueryLanguage queryLanguage, List<Rule> choices, Optional<String> defaultState,
                          Io io) implements State {

  public record Rule(Condition condition, String next) {}

  @Override
  public String type() {
    return "Choice";
  }

  static ChoiceState parse(String name, Obj o, QueryLanguage language) {
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("Choices", "Default", "InputPath", "OutputPath")), State.JSONPATH_NOT_YET,
          "by a JSONPath Choice state");
    } else {
      o.allowOnly(State.fields(Set.of("Choices", "Default", "Output", "Assign")), Set.of(), "by a JSONata Choice state");
    }
    if (!o.has("Choices")) {
      o.problems.schema(o.path, "missing required field 'Choices'");
    } else if (o.get("Choices").isArray() && o.get("Choices").isEmpty()) {
      o.problems.schema(o.at("Choices"), "must hold at least one rule");
    }
    List<Rule> rules = new ArrayList<>();
    for (Obj.Located item : o.array("Choices")) {
      Optional<Obj> rule = Obj.of(item.node(), item.path(), o.problems);
      if (rule.isEmpty()) {
        continue;
      }
      Obj r = rule.get();
      Optional<Condition> condition = language == QueryLanguage.JSONPATH ? Condition.jsonPath(r, true) : jsonata(r);
      Optional<String> next = r.requiredString("Next");
      next.ifPresent(n -> o.problems.target(r.at("Next"), n));
      if (condition.isPresent() && next.isPresent()) {
        rules.add(new Rule(condition.get(), next.get()));
      }
    }
    Optional<String> defaultState = o.string("Default");
    defaultState.ifPresent(d -> o.problems.target(o.at("Default"), d));
    for (String field : List.of("Next", "End")) {
      if (o.has(field)) {
        o.problems.schema(o.at(field), "a Choice state cannot have '" + field + "'");
      }
    }
    return new ChoiceState(name, language, List.copyOf(rules), defaultState, Io.parse(o, language));
  }

  private static Optional<Condition> jsonata(Obj r) {
    r.allowOnly(Set.of("Condition", "Next", "Comment"), Set.of("Output", "Assign"), "in a JSONata Choice rule");
    Optional<String> text = r.requiredString("Condition");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Template.Expression> x = Templates.expression(text.get(), r.at("Condition"), r.problems);
    if (x.isEmpty() && !text.get().strip().startsWith("{%")) {
      r.problems.schema(r.at("Condition"), "must be a JSONata expression written {% ... %}");
    }
    return x.map(Condition.Expression::new);
  }
}
