package videopipe.statemachines.engine;

import videopipe.statemachines.asl.SucceedState;

/** Succeed: ends with its (shaped) input. */
final class SucceedEvaluator {

  private SucceedEvaluator() {}

  static Step evaluate(SucceedState succeed, Scope scope) {
    return new Step.End(Shaping.output(succeed.io(), scope, Shaping.selected(succeed.io(), scope), scope.input()).output());
  }
}
