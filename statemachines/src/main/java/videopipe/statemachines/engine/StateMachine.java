package videopipe.statemachines.engine;

import videopipe.statemachines.asl.Definition;

/**
 * A registered state machine: its name, ARN, role and parsed definition, and the definition's text
 * ({@code source}), which an engine with a journal writes beside each execution so that the
 * execution can resume after a restart with the very definition it started with (null when not
 * given: such a machine cannot be run by a journaled engine).
 */
public record StateMachine(String name, String arn, String roleArn, Definition definition, String source) {

  public StateMachine(String name, String arn, String roleArn, Definition definition) {
    this(name, arn, roleArn, definition, null);
  }
}
