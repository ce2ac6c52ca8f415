package videopipe.statemachines.engine;

import videopipe.statemachines.asl.Definition;

/** A registered state machine: its name, ARN, role and parsed definition. */
public record StateMachine(String name, String arn, String roleArn, Definition definition) {}
