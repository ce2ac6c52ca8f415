package videopipe.statemachines.asl;

import com.dashjoin.jsonata.Jsonata;
import java.util.List;

/**
 * A JSON value whose parts are computed at run time: a JSONPath payload template
 * ({@code Parameters}, {@code ResultSelector}: keys ending in {@code .$}) or a JSONata field
 * ({@code Arguments}, {@code Output}, {@code Assign}: strings written {@code {% expr %}}). Parts
 * with nothing to compute are folded into one {@link Literal}.
 */
public sealed interface Template {

  record Literal(Object value) implements Template {}

  record ObjectTemplate(List<Field> fields) implements Template {}

  record Field(String name, Template value) {}

  record ArrayTemplate(List<Template> items) implements Template {}

  /** A {@code .$} value: the node a path selects from the input (or {@code $$.} the context). */
  record PathValue(DataPath path) implements Template {}

  /** A {@code .$} value that calls an intrinsic function ({@code States.Format(…)}). */
  record IntrinsicValue(Intrinsic.Call call) implements Template {}

  /**
   * A {@code {% %}} JSONata expression. {@code location} is where it sits in the definition, for
   * evaluation errors. The compiled expression is reused across evaluations, each with its own
   * frame (dashjoin/jsonata-java#24 shows a parsed expression may be reused that way).
   */
  record Expression(String text, Jsonata compiled, String location) implements Template {}
}
