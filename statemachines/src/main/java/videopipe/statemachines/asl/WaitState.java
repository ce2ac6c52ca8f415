package videopipe.statemachines.asl;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Delays the execution for a number of seconds or until a timestamp, then passes its input on. */
public record WaitState(String name, QueryLanguage queryLanguage, WaitFor waitFor, Io io, Transition then)
    implements State {

  /** Exactly one of {@code Seconds}, {@code Timestamp}, {@code SecondsPath}, {@code TimestampPath}. */
  public sealed interface WaitFor {
    record Seconds(long seconds) implements WaitFor {}

    record Until(Instant timestamp) implements WaitFor {}

    record SecondsPath(DataPath path) implements WaitFor {}

    record TimestampPath(DataPath path) implements WaitFor {}

    /** JSONata: {@code Seconds} or {@code Timestamp} as an expression, checked when evaluated. */
    record SecondsExpression(Template.Expression expression) implements WaitFor {}

    record TimestampExpression(Template.Expression expression) implements WaitFor {}
  }

  @Override
  public String type() {
    return "Wait";
  }

  /** Parses an RFC 3339 timestamp as the spec requires (an offset is mandatory). */
  public static Optional<Instant> timestamp(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static WaitState parse(String name, Obj o, QueryLanguage language) {
    List<String> kinds;
    if (language == QueryLanguage.JSONPATH) {
      o.allowOnly(State.fields(Set.of("Next", "End", "Seconds", "Timestamp", "SecondsPath", "TimestampPath",
          "InputPath", "OutputPath")), State.JSONPATH_NOT_YET, "by a JSONPath Wait state");
      kinds = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath");
    } else {
      o.allowOnly(State.fields(Set.of("Next", "End", "Seconds", "Timestamp", "Output", "Assign")), Set.of(),
          "by a JSONata Wait state");
      kinds = List.of("Seconds", "Timestamp");
    }
    List<String> present = new ArrayList<>(kinds);
    present.removeIf(k -> !o.has(k));
    WaitFor waitFor = new WaitFor.Seconds(0);
    if (present.size() != 1) {
      o.problems.schema(o.path, "a Wait state needs exactly one of " + String.join(", ", kinds) + "; found " + present);
    } else {
      waitFor = waitFor(o, present.get(0), language).orElse(waitFor);
    }
    return new WaitState(name, language, waitFor, Io.parse(o, language), Transitions.read(o));
  }

  private static Optional<WaitFor> waitFor(Obj o, String kind, QueryLanguage language) {
    JsonNode node = o.get(kind);
    if (language == QueryLanguage.JSONATA && node.isString()) {
      Optional<Template.Expression> x = Templates.expression(node.stringValue(), o.at(kind), o.problems);
      if (x.isPresent()) {
        return Optional.of(kind.equals("Seconds") ? new WaitFor.SecondsExpression(x.get()) : new WaitFor.TimestampExpression(x.get()));
      }
    }
    switch (kind) {
      case "Seconds":
        return o.integer(kind, 0, 99_999_999).map(WaitFor.Seconds::new);
      case "Timestamp": {
        Optional<String> text = o.string(kind);
        Optional<Instant> at = text.flatMap(WaitState::timestamp);
        if (text.isPresent() && at.isEmpty()) {
          o.problems.schema(o.at(kind), "'" + text.get() + "' is not an RFC 3339 timestamp");
        }
        return at.map(WaitFor.Until::new);
      }
      case "SecondsPath":
        return DataPath.field(o, kind, DataPath.Kind.PATH).map(WaitFor.SecondsPath::new);
      default:
        return DataPath.field(o, kind, DataPath.Kind.PATH).map(WaitFor.TimestampPath::new);
    }
  }
}
