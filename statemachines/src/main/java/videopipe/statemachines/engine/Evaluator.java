package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.ChoiceState;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.MapState;
import videopipe.statemachines.asl.ParallelState;
import videopipe.statemachines.asl.FailState;
import videopipe.statemachines.asl.PassState;
import videopipe.statemachines.asl.State;
import videopipe.statemachines.asl.SucceedState;
import videopipe.statemachines.asl.TaskState;
import videopipe.statemachines.asl.Transition;
import videopipe.statemachines.asl.WaitState;

/**
 * Evaluates the state a cursor points at, once: records its entry (the first time) and exit, and
 * turns every error raised on the way into a {@link Step.Failed}. Everything it needs from outside
 * (the invoker, time, randomness) is injected; it keeps no state of its own between calls.
 */
final class Evaluator {

  private final Clock clock;
  private final TaskEvaluator tasks;
  private final ParallelEvaluator parallels;
  private final MapEvaluator maps;

  Evaluator(TaskInvoker invoker, TaskTokens tokens, Clock clock, RandomGenerator random, String region, Timer timer) {
    this.clock = clock;
    this.tasks = new TaskEvaluator(invoker, tokens, clock, random, region, timer);
    this.parallels = new ParallelEvaluator(clock, random);
    this.maps = new MapEvaluator(clock, random);
  }

  Step evaluate(Map<String, State> states, Cursor cursor, ExecutionContext execution, History history, Branches branches,
                Watch watch) {
    State state = states.get(cursor.state());
    if (state == null) {
      throw new IllegalStateException("no state named '" + cursor.state() + "'");
    }
    Cursor c = cursor;
    if (!c.entered()) {
      c = c.enteredAt(clock.instant());
      history.add(state.type() + "StateEntered", "stateEnteredEventDetails",
          concat(new Object[] {"name", state.name()}, History.payload("input", c.input())));
    }
    Step step;
    try {
      if (state instanceof TaskState t) {
        step = tasks.evaluate(t, c, execution, history, watch); // its scope carries the call's task token
      } else {
        // The context object is made only if an expression reads it.
        Scope scope = Scope.of(c.input(), execution.object(state.name(), c), c.variables());
        if (state instanceof ParallelState p) {
          step = parallels.evaluate(p, c, scope, history, branches);
        } else if (state instanceof MapState m) {
          step = maps.evaluate(m, c, scope, history, branches);
        } else {
          step = dispatch(state, c, scope);
        }
      }
    } catch (Failure f) {
      step = new Step.Failed(f.error);
    }
    if (step instanceof Step.Next n) {
      exited(state, n.output(), history);
    } else if (step instanceof Step.End e) {
      exited(state, e.output(), history);
    }
    return step;
  }

  /** Goes on with a task's call that a checkpoint saw in flight (recovery after a restart). */
  Step resumeCall(TaskState task, Cursor cursor, ExecutionContext execution, History history, Watch watch,
                  LambdaCall.Resumed resumed) {
    return tasks.resume(task, cursor, execution, history, watch, resumed);
  }

  /**
   * Goes on with a Parallel or Map state's strands as a checkpoint captured them (recovery after a
   * restart): see {@link FanOut}'s recovery constructor for {@code resumes} and {@code starts}.
   */
  Step resumeFanOut(State state, Cursor cursor, History history, Branches branches, List<Cursor> starts,
                    List<Object> resumes) {
    if (state instanceof ParallelState p) {
      return new Step.Pending(new FanOut(cursor, p.branches(), starts, 0, branches, FanOut.Listener.NONE, resumes).run(),
          cursor);
    }
    MapState m = (MapState) state;
    FanOut fanOut = new FanOut(cursor, java.util.Collections.nCopies(resumes.size(), m.processor()), starts,
        m.maxConcurrency(), branches, MapEvaluator.events(m, history), resumes);
    return new Step.Pending(fanOut.run(), cursor);
  }

  private Step dispatch(State state, Cursor c, Scope scope) {
    if (state instanceof PassState p) {
      return PassEvaluator.evaluate(p, scope);
    }
    if (state instanceof ChoiceState ch) {
      return ChoiceEvaluator.evaluate(ch, scope);
    }
    if (state instanceof WaitState w) {
      return WaitEvaluator.evaluate(w, c, scope, clock);
    }
    if (state instanceof SucceedState s) {
      return SucceedEvaluator.evaluate(s, scope);
    }
    return FailEvaluator.evaluate((FailState) state, scope);
  }

  private static void exited(State state, Object output, History history) {
    history.add(state.type() + "StateExited", "stateExitedEventDetails",
        concat(new Object[] {"name", state.name()}, History.payload("output", output)));
  }

  static Step then(Transition then, Shaping.Shaped shaped) {
    if (then instanceof Transition.Next n) {
      return new Step.Next(Cursor.at(n.state(), shaped.output(), shaped.variables()), shaped.output());
    }
    return new Step.End(shaped.output());
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
