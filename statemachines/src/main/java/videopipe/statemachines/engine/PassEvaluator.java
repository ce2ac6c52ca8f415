package videopipe.statemachines.engine;

import videopipe.statemachines.asl.PassState;

/** Pass: the effective input, or {@code Result}, through ResultPath and OutputPath; or JSONata Output. */
final class PassEvaluator {

  private PassEvaluator() {}

  static Step evaluate(PassState pass, Scope scope) {
    Object result = pass.result().isPresent() ? pass.result().get() : Shaping.effective(pass.io(), scope);
    return Evaluator.then(pass.then(), Shaping.output(pass.io(), scope, result, scope.input()));
  }
}
