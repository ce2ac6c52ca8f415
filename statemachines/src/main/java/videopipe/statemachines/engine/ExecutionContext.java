package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the context object ({@code $$} in JSONPath, {@code $states.context} in JSONata) says about the execution. */
record ExecutionContext(String executionArn, String executionName, String stateMachineArn, String stateMachineName,
                        String roleArn, Object input, Instant startTime, int redriveCount) {

  Map<String, Object> object(String state, Cursor cursor) {
    Map<String, Object> execution = new LinkedHashMap<>();
    execution.put("Id", executionArn);
    execution.put("Input", input);
    execution.put("Name", executionName);
    execution.put("RoleArn", roleArn);
    execution.put("StartTime", startTime.toString());
    execution.put("RedriveCount", redriveCount);
    Map<String, Object> stateObject = new LinkedHashMap<>();
    stateObject.put("EnteredTime", cursor.enteredTime() == null ? null : cursor.enteredTime().toString());
    stateObject.put("Name", state);
    stateObject.put("RetryCount", cursor.retryCount());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("Id", stateMachineArn);
    machine.put("Name", stateMachineName);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("Execution", execution);
    context.put("State", stateObject);
    context.put("StateMachine", machine);
    if (cursor.taskToken() != null) {
      context.put("Task", Map.of("Token", cursor.taskToken()));
    }
    return context;
  }
}
