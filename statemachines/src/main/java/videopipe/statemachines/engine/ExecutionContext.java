package videopipe.statemachines.engine;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the context object ({@code $$} in JSONPath, {@code $states.context} in JSONata) says about
 * the execution. Its {@code Execution} and {@code StateMachine} parts are made once per run (they
 * change only on redrive, which makes a new one); the whole object is made per state, and only
 * if read (most states never read it).
 */
final class ExecutionContext {

  private final Map<String, Object> execution;
  private final Map<String, Object> machine;

  ExecutionContext(String executionArn, String executionName, String stateMachineArn, String stateMachineName,
                   String roleArn, Object input, Instant startTime, int redriveCount) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("Id", executionArn);
    e.put("Input", input);
    e.put("Name", executionName);
    e.put("RoleArn", roleArn);
    e.put("StartTime", startTime.toString());
    e.put("RedriveCount", redriveCount);
    this.execution = Collections.unmodifiableMap(e);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Id", stateMachineArn);
    m.put("Name", stateMachineName);
    this.machine = Collections.unmodifiableMap(m);
  }

  /** The execution's ARN. */
  String executionArn() {
    return (String) execution.get("Id");
  }

  /** The context object of {@code state} at {@code cursor}: made on first read. */
  Map<String, Object> object(String state, Cursor cursor) {
    return new ContextObject(this, state, cursor);
  }

  private Map<String, Object> build(String state, Cursor cursor) {
    Map<String, Object> stateObject = new LinkedHashMap<>();
    stateObject.put("EnteredTime", cursor.enteredTime() == null ? null : cursor.enteredTime().toString());
    stateObject.put("Name", state);
    stateObject.put("RetryCount", cursor.retryCount());
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("Execution", execution);
    context.put("State", Collections.unmodifiableMap(stateObject));
    context.put("StateMachine", machine);
    if (cursor.taskToken() != null) {
      context.put("Task", Map.of("Token", cursor.taskToken()));
    }
    return Collections.unmodifiableMap(context);
  }

  /**
   * A state's context object, built by the first read of any kind (a thread that races another
   * builds an equal map; either is kept).
   */
  private static final class ContextObject extends AbstractMap<String, Object> {

    private final ExecutionContext execution;
    private final String state;
    private final Cursor cursor;
    private volatile Map<String, Object> built;

    ContextObject(ExecutionContext execution, String state, Cursor cursor) {
      this.execution = execution;
      this.state = state;
      this.cursor = cursor;
    }

    private Map<String, Object> built() {
      Map<String, Object> b = built;
      if (b == null) {
        b = execution.build(state, cursor);
        built = b;
      }
      return b;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return built().entrySet();
    }

    @Override
    public Object get(Object key) {
      return built().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return built().containsKey(key);
    }

    @Override
    public int size() {
      return built().size();
    }
  }
}
