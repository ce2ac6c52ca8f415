package videopipe.statemachines.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Inline Map: one iteration per item, outputs in item order, ItemSelector with $$.Map.Item,
 * MaxConcurrency as an upper bound, the first failing iteration failing the state, and a redrive
 * that re-runs only the iterations that did not finish. The first case is the guide's
 * ItemSelector example (state-map-inline); event details are ours.
 */
class MapTest {

  @Test
  void buildsEachIterationsInputWithItemSelector() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "Map", "States": {"Map": {"Type": "Map", "ItemsPath": "$.detail.shipped",
            "ItemSelector": {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.detail.delivery-partner"},
            "ItemProcessor": {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": true}}}, "End": true}}}""", """
          {"detail": {"delivery-partner": "UQS", "shipped": [
            {"prod": "R31", "dest-code": 9511, "quantity": 1344},
            {"prod": "S39", "dest-code": 9511, "quantity": 40}]}}""");
      Harness.assertJson(e.output(), """
          [{"parcel": {"prod": "R31", "dest-code": 9511, "quantity": 1344}, "courier": "UQS"},
           {"parcel": {"prod": "S39", "dest-code": 9511, "quantity": 40}, "courier": "UQS"}]""");
    }
  }

  @Test
  void runsJsonataItemsAndOutput() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"QueryLanguage": "JSONata", "StartAt": "Map", "States": {"Map": {"Type": "Map",
            "Items": "{% $states.input.renditions %}",
            "ItemSelector": {"height": "{% $states.context.Map.Item.Value %}", "index": "{% $states.context.Map.Item.Index %}"},
            "ItemProcessor": {"StartAt": "Label", "States": {"Label": {"Type": "Pass",
              "Output": "{% $string($states.input.index) & ':' & $string($states.input.height) & 'p' %}", "End": true}}},
            "Output": {"labels": "{% $states.result %}"}, "End": true}}}""", "{\"renditions\": [1080, 720, 360]}");
      Harness.assertJson(e.output(), "{\"labels\": [\"0:1080p\", \"1:720p\", \"2:360p\"]}");
    }
  }

  @Test
  void outputsAnEmptyArrayForNoItems() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "Map", "States": {"Map": {"Type": "Map",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""", "[]");
      Harness.assertJson(e.output(), "[]");
      assertThat(Harness.types(e)).containsExactly("ExecutionStarted", "MapStateEntered", "MapStateStarted",
          "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded");
    }
  }

  @Test
  void failsWhenTheItemsAreNotAnArray() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "Map", "States": {"Map": {"Type": "Map", "ItemsPath": "$.x",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""", "{\"x\": 1}");
      assertThat(e.error()).get().extracting(x -> x.error()).isEqualTo("States.Runtime");
    }
  }

  @Test
  void neverRunsMoreIterationsAtOnceThanMaxConcurrency() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    TaskInvoker slowish = (function, payload) -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return CompletableFuture.supplyAsync(() -> {
        inFlight.decrementAndGet();
        return (Invocation) new Invocation.Returned(payload);
      }, CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));
    };
    try (Harness h = new Harness(slowish)) {
      Execution e = h.run("""
          {"StartAt": "Map", "States": {"Map": {"Type": "Map", "MaxConcurrency": 2,
            "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}}, "End": true}}}""",
          "[1, 2, 3, 4, 5, 6, 7, 8]");
      Harness.assertJson(e.output(), "[1, 2, 3, 4, 5, 6, 7, 8]");
      assertThat(most.get()).isBetween(1, 2);
    }
  }

  static final String ITEMS_TASK = """
      {"StartAt": "Map", "States": {"Map": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}}, @REST@}}}""";

  /** Fails on item 2 until fixed; records the items it was given. */
  static final class Work {
    final AtomicBoolean fixed = new AtomicBoolean();
    final List<Object> calls = new CopyOnWriteArrayList<>();

    TaskInvoker invoker() {
      return TaskInvoker.of(call -> {
        calls.add(call.payload());
        if (Integer.valueOf(2).equals(call.payload()) && !fixed.get()) {
          throw new TaskInvoker.TaskFailure("Item.Bad", "item 2");
        }
        return call.payload();
      });
    }
  }

  @Test
  void failsWithTheFirstFailingIterationsErrorAndStartsNoMore() {
    Work work = new Work();
    try (Harness h = new Harness(work.invoker())) {
      Execution e = h.run(ITEMS_TASK.replace("@REST@", "\"End\": true"), "[1, 2, 3]");
      assertThat(e.error().get().error()).isEqualTo("Item.Bad");
      assertThat(work.calls).containsExactly(1, 2);
      assertThat(Harness.types(e)).contains("MapIterationFailed", "MapStateFailed");
    }
  }

  @Test
  void catchesAnIterationFailureOnTheMapState() {
    Work work = new Work();
    try (Harness h = new Harness(work.invoker())) {
      Execution e = h.run(ITEMS_TASK.replace("@REST@", """
          "Next": "Done", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]},
          "Done": {"Type": "Succeed"}, "Handled": {"Type": "Pass", "Result": "handled", "End": true"""), "[1, 2, 3]");
      assertThat(e.output()).isEqualTo("handled");
    }
  }

  @Test
  void redriveRerunsOnlyTheIterationsThatDidNotFinish() {
    Work work = new Work();
    try (Harness h = new Harness(work.invoker())) {
      Execution failed = h.run(ITEMS_TASK.replace("@REST@", "\"End\": true"), "[1, 2, 3]");
      work.fixed.set(true);
      h.engine.redrive(failed.arn());
      Execution done = h.await(failed.arn());
      Harness.assertJson(done.output(), "[1, 2, 3]");
      assertThat(work.calls).containsExactly(1, 2, 2, 3);
    }
  }

  @Test
  void seesTheOuterVariablesInIterations() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"prefix": "v-"}, "Next": "Map"},
            "Map": {"Type": "Map", "Items": [1, 2],
              "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass",
                "Output": "{% $prefix & $string($states.input) %}", "End": true}}}, "End": true}}}""", "{}");
      assertThat(e.output()).isEqualTo(List.of("v-1", "v-2"));
    }
  }

  @Test
  void emitsAnIterationEventPerItem() {
    try (Harness h = new Harness(TaskInvoker.of(call -> null))) {
      Execution e = h.run("""
          {"StartAt": "Map", "States": {"Map": {"Type": "Map", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""", "[\"a\", \"b\"]");
      assertThat(e.history()).filteredOn(ev -> ev.type().equals("MapIterationSucceeded"))
          .extracting(HistoryEvent::details)
          .containsExactly(Map.of("name", "Map", "index", 0), Map.of("name", "Map", "index", 1));
    }
  }
}
