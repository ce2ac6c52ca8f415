package videopipe.statemachines.engine;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPathException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import videopipe.statemachines.asl.DataPath;
import videopipe.statemachines.asl.Json;

/** Reading and writing JSONPath in state data, with AWS's error for a path that selects nothing. */
final class Paths {

  private static final Configuration CONFIGURATION =
      Configuration.builder().jsonProvider(new PlainJsonProvider()).build();

  private Paths() {}

  /** The value {@code path} selects in {@code input} (or the context object for {@code $$.} paths). */
  static Object read(DataPath path, Object input, Map<String, Object> context) {
    if (path.isRoot()) {
      return input;
    }
    try {
      return path.compiled().read(path.context() ? context : input, CONFIGURATION);
    } catch (JsonPathException e) {
      throw Failure.runtime("Invalid path '" + path.text() + "' : No results for path: " + path.compiled().getPath());
    }
  }

  /** Whether {@code path} selects something; for Choice's IsPresent. */
  static boolean present(DataPath path, Object input, Map<String, Object> context) {
    try {
      path.compiled().read(path.context() ? context : input, CONFIGURATION);
      return true;
    } catch (JsonPathException e) {
      return false;
    }
  }

  /**
   * ResultPath: {@code result} placed into a copy of {@code input} at a reference path, making the
   * objects on the way; {@code $} replaces the input, {@code null} discards the result.
   */
  static Object write(DataPath path, Object input, Object result) {
    if (path.isNone()) {
      return input;
    }
    if (path.isRoot()) {
      return result;
    }
    return set(input, path.segments(), 0, result, path);
  }

  @SuppressWarnings("unchecked")
  private static Object set(Object node, List<Object> segments, int i, Object value, DataPath path) {
    if (i == segments.size()) {
      return value;
    }
    Object segment = segments.get(i);
    if (segment instanceof Integer index) {
      if (!(node instanceof List<?> list) || index >= list.size()) {
        throw new Failure("States.ResultPathMatchFailure",
            "Unable to apply ResultPath '" + path.text() + "' to input " + Json.write(node));
      }
      List<Object> copy = new ArrayList<>((List<Object>) list);
      copy.set(index, set(copy.get(index), segments, i + 1, value, path));
      return copy;
    }
    Map<String, Object> copy;
    if (node instanceof Map<?, ?> map) {
      copy = new LinkedHashMap<>((Map<String, Object>) map);
    } else if (node == null && i > 0) {
      copy = new LinkedHashMap<>();
    } else {
      throw new Failure("States.ResultPathMatchFailure",
          "Unable to apply ResultPath '" + path.text() + "' to input " + Json.write(node));
    }
    copy.put((String) segment, set(copy.get(segment), segments, i + 1, value, path));
    return copy;
  }
}
