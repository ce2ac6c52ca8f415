package videopipe.statemachines.asl;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A JSONPath in a definition: {@code InputPath}, {@code OutputPath}, {@code ResultPath}, a
 * {@code .$} value, a Choice {@code Variable}. {@code $$.} paths read the context object. A path
 * written as JSON {@code null} is {@link #NONE}, which each field gives its own meaning.
 */
public record DataPath(String text, JsonPath compiled, boolean context, List<Object> segments) {

  /**
   * {@code segments}: the names ({@code String}) and indices ({@code Integer}) of a path without
   * wildcards or filters, split once here for ResultPath to write along; empty for {@code $}.
   */
  public DataPath(String text, JsonPath compiled, boolean context) {
    this(text, compiled, context, text == null ? List.of() : split(text.substring(1)));
  }

  private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\['([^']+)'\\]|\\[(\\d+)\\]");

  private static List<Object> split(String path) {
    List<Object> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      segments.add(m.group(3) != null ? (Object) Integer.valueOf(m.group(3)) : m.group(1) != null ? m.group(1) : m.group(2));
    }
    return Collections.unmodifiableList(segments);
  }

  public static final DataPath ROOT = new DataPath("$", JsonPath.compile("$"), false);
  public static final DataPath NONE = new DataPath(null, null, false);

  /**
   * The spec's "Reference Path": only names and indices, so it picks out one node and can be
   * written to ({@code ResultPath}).
   */
  private static final Pattern REFERENCE =
      Pattern.compile("\\$((\\.[^.\\[\\]*@?()'\" ]+)|(\\['[^']+'\\])|(\\[\\d+\\]))*");
  /** {@code $name.…}: a variable, which JSONPath states may read since 2024 (not supported yet). */
  private static final Pattern VARIABLE = Pattern.compile("\\$[A-Za-z_].*");

  public boolean isNone() {
    return text == null;
  }

  public boolean isRoot() {
    return "$".equals(text);
  }

  enum Kind { PATH, REFERENCE }

  /** Reads a path field; a JSON null gives {@link #NONE}, an absent field {@code empty}. */
  static Optional<DataPath> field(Obj o, String field, Kind kind) {
    JsonNode node = o.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (node.isNull()) {
      return Optional.of(NONE);
    }
    if (!node.isString()) {
      o.problems.schema(o.at(field), "must be a JSONPath string or null");
      return Optional.empty();
    }
    return parse(node.stringValue(), o.at(field), kind, o.problems);
  }

  static Optional<DataPath> parse(String text, String location, Kind kind, Problems problems) {
    boolean context = text.startsWith("$$");
    if (context && kind == Kind.REFERENCE) {
      problems.schema(location, "the context object cannot be written to: '" + text + "'");
      return Optional.empty();
    }
    if (!context && VARIABLE.matcher(text).matches()) {
      problems.unsupported(location, "variables in JSONPath ('" + text + "') are not supported by this engine yet");
      return Optional.empty();
    }
    if (!text.startsWith("$")) {
      problems.schema(location, "'" + text + "' is not a JSONPath (it must start with '$')");
      return Optional.empty();
    }
    if (kind == Kind.REFERENCE && !REFERENCE.matcher(text).matches()) {
      problems.schema(location, "'" + text + "' is not a reference path (only names and indices, no wildcards or filters)");
      return Optional.empty();
    }
    String jsonPath = context ? text.substring(1) : text;
    try {
      return Optional.of(new DataPath(text, JsonPath.compile(jsonPath), context));
    } catch (InvalidPathException | IllegalArgumentException e) {
      problems.schema(location, "'" + text + "' is not a valid JSONPath: " + e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return text == null ? "null" : text;
  }
}
