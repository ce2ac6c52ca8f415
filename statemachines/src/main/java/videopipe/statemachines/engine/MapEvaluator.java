package videopipe.statemachines.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import videopipe.statemachines.asl.Branch;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.MapState;
import videopipe.statemachines.asl.StatesError;

/**
 * Map (inline), in two evaluations like Parallel: first the items and each iteration's input, and
 * the iterations started through {@link FanOut} with MaxConcurrency; then the array of outputs
 * shaped into the state's output, or the first failing iteration's error handed to
 * {@link Recovery}. History: MapStateStarted {length}, MapIterationStarted/Succeeded/Failed
 * {name, index}, MapStateSucceeded/Failed.
 */
final class MapEvaluator {

  private final Clock clock;
  private final RandomGenerator random;

  MapEvaluator(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  Step evaluate(MapState map, Cursor cursor, Scope scope, History history, Branches branches) {
    try {
      if (cursor.outcome() != null) {
        return finish(map, cursor, scope, history);
      }
      Object selected = Shaping.selected(map.io(), scope);
      Object items = map.items().isPresent() ? Templating.fill(map.items().get(), scope)
          : map.itemsPath().isPresent() ? Paths.read(map.itemsPath().get(), selected, scope.context()) : selected;
      if (!(items instanceof List<?> list)) {
        throw new Failure(StatesError.RUNTIME, "The items of Map state '" + map.name() + "' must be an array, were "
            + Json.write(items));
      }
      List<Cursor> starts = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Object itemInput = list.get(i);
        if (map.itemSelector().isPresent()) {
          Map<String, Object> context = new LinkedHashMap<>(scope.context());
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("Index", i);
          item.put("Value", list.get(i));
          context.put("Map", Map.of("Item", item));
          Scope itemScope = new Scope(selected, context, scope.variables(), null, null, false, false);
          itemInput = Templating.fill(map.itemSelector().get(), itemScope);
        }
        starts.add(Cursor.at(map.processor().startAt(), itemInput, scope.variables()));
      }
      history.add("MapStateStarted", "mapStateStartedEventDetails", "length", list.size());
      List<Branch> machines = Collections.nCopies(list.size(), map.processor());
      FanOut.Listener events = events(map, history);
      return new Step.Pending(new FanOut(cursor, machines, starts, map.maxConcurrency(), branches, events).run(), cursor);
    } catch (Failure f) {
      return Recovery.after(map, map.retry(), map.catchers(), cursor, f.error, scope, clock, random);
    }
  }

  /** The history events of a Map state's iterations. */
  static FanOut.Listener events(MapState map, History history) {
    return new FanOut.Listener() {
      @Override
      public void started(int index) {
        history.add("MapIterationStarted", "mapIterationStartedEventDetails", "name", map.name(), "index", index);
      }

      @Override
      public void succeeded(int index) {
        history.add("MapIterationSucceeded", "mapIterationSucceededEventDetails", "name", map.name(), "index", index);
      }

      @Override
      public void failed(int index) {
        history.add("MapIterationFailed", "mapIterationFailedEventDetails", "name", map.name(), "index", index);
      }
    };
  }

  private Step finish(MapState map, Cursor cursor, Scope scope, History history) {
    if (cursor.outcome() instanceof Invocation.Returned r) {
      history.add("MapStateSucceeded", null);
      Scope done = scope.withResult(r.output());
      return Evaluator.then(map.then(), Shaping.output(map.io(), done, r.output(), r.output()));
    }
    Invocation.Failed f = (Invocation.Failed) cursor.outcome();
    history.add("MapStateFailed", null);
    return Recovery.after(map, map.retry(), map.catchers(), cursor, new StatesError(f.error(), f.cause()), scope, clock,
        random);
  }
}
