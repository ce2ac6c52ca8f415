package videopipe.statemachines.asl;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Runs its {@code ItemProcessor} once per item of an array (inline mode), at most
 * {@code MaxConcurrency} at a time (0: no limit); its result is the array of the iterations'
 * outputs, in item order. Items come from {@code ItemsPath} (JSONPath) or {@code Items} (JSONata);
 * {@code ItemSelector} builds each iteration's input, with the item as {@code $$.Map.Item.Value}
 * and its index as {@code $$.Map.Item.Index}. Distributed mode and its fields are refused by name.
 */
public record MapState(String name, QueryLanguage queryLanguage, Branch processor, Io io, Optional<DataPath> itemsPath,
                       Optional<Template> items, Optional<Template> itemSelector, int maxConcurrency,
                       List<Retrier> retry, List<Catcher> catchers, Transition then) implements State {

  @Override
  public String type() {
    return "Map";
  }

  static MapState parse(String name, Obj o, QueryLanguage language) {
    Set<String> distributed = Set.of("ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label",
        "MaxConcurrencyPath");
    if (language == QueryLanguage.JSONPATH) {
      Set<String> notYet = new java.util.HashSet<>(distributed);
      notYet.addAll(State.JSONPATH_NOT_YET);
      notYet.add("Iterator");
      notYet.add("Parameters");
      o.allowOnly(State.fields(Set.of("Next", "End", "ItemProcessor", "ItemsPath", "ItemSelector", "MaxConcurrency",
          "InputPath", "ResultSelector", "ResultPath", "OutputPath", "Retry", "Catch")), notYet, "by a JSONPath Map state");
    } else {
      o.allowOnly(State.fields(Set.of("Next", "End", "ItemProcessor", "Items", "ItemSelector", "MaxConcurrency", "Output",
          "Assign", "Retry", "Catch")), distributed, "by a JSONata Map state");
    }
    Branch processor = new Branch("", java.util.Map.of());
    if (!o.has("ItemProcessor")) {
      o.problems.schema(o.path, "missing required field 'ItemProcessor'");
    } else {
      Optional<Obj> p = o.object("ItemProcessor");
      if (p.isPresent()) {
        p.get().allowOnly(Set.of("ProcessorConfig", "StartAt", "States", "Comment"), Set.of(), "in an ItemProcessor");
        p.get().object("ProcessorConfig").ifPresent(c -> {
          c.allowOnly(Set.of("Mode"), Set.of("ExecutionType"), "in a ProcessorConfig");
          c.string("Mode").filter(m -> !m.equals("INLINE")).ifPresent(m -> {
            if (m.equals("DISTRIBUTED")) {
              c.problems.unsupported(c.at("Mode"), "the DISTRIBUTED Map mode is not supported by this engine yet");
            } else {
              c.problems.schema(c.at("Mode"), "must be \"INLINE\" or \"DISTRIBUTED\", was \"" + m + "\"");
            }
          });
        });
        processor = DefinitionParser.machine(p.get(), language);
      }
    }
    Optional<DataPath> itemsPath = DataPath.field(o, "ItemsPath", DataPath.Kind.REFERENCE);
    Optional<Template> items = Optional.ofNullable(o.get("Items")).map(n -> Templates.jsonata(n, o.at("Items"), o.problems));
    Optional<Template> selector = Optional.empty();
    JsonNode s = o.get("ItemSelector");
    if (s != null) {
      selector = Optional.of(language == QueryLanguage.JSONPATH
          ? Templates.jsonPath(s, o.at("ItemSelector"), o.problems)
          : Templates.jsonata(s, o.at("ItemSelector"), o.problems));
    }
    int maxConcurrency = o.integer("MaxConcurrency", 0, Integer.MAX_VALUE).orElse(0L).intValue();
    return new MapState(name, language, processor, Io.parse(o, language), itemsPath, items, selector, maxConcurrency,
        TaskState.retry(o), TaskState.catchers(o, language), Transitions.read(o));
  }
}
