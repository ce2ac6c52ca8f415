package videopipe.statemachines.engine;

import videopipe.statemachines.asl.ChoiceState;
import videopipe.statemachines.asl.StatesError;
import videopipe.statemachines.asl.Transition;

/** Choice: the first rule that holds, else Default, else States.NoChoiceMatched. */
final class ChoiceEvaluator {

  private ChoiceEvaluator() {}

  static Step evaluate(ChoiceState choice, Scope scope) {
    Object selected = Shaping.selected(choice.io(), scope);
    String next = null;
    for (ChoiceState.Rule rule : choice.choices()) {
      if (Conditions.holds(rule.condition(), selected, scope)) {
        next = rule.next();
        break;
      }
    }
    if (next == null) {
      next = choice.defaultState().orElseThrow(() -> new Failure(StatesError.NO_CHOICE_MATCHED,
          "No Choice rule matched and there is no Default in state '" + choice.name() + "'"));
    }
    return Evaluator.then(new Transition.Next(next), Shaping.output(choice.io(), scope, selected, scope.input()));
  }
}
