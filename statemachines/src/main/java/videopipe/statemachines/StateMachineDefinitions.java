package videopipe.statemachines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import videopipe.statemachines.asl.Definition;

/**
 * The project's state machine definitions and the EventBridge patterns around them, as Pulumi
 * and the local stack both use them: read from
 * this module's resources, {@code ${Name}} placeholders (function ARNs, table names) substituted,
 * and validated by the engine's own parser. A placeholder left without a value, or a value for no
 * placeholder, is an error naming them: a definition is never deployed half-filled.
 */
public final class StateMachineDefinitions {

  /** A definition ready to deploy ({@code json}) and its parsed model. */
  public record Loaded(String name, String json, Definition definition) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)\\}");

  private StateMachineDefinitions() {}

  /** Loads {@code videopipe/statemachines/<name>.asl.json} with {@code values} substituted. */
  public static Loaded load(String name, Map<String, String> values) {
    return substitute(name, read("/videopipe/statemachines/" + name + ".asl.json"), values);
  }

  /**
   * Loads the EventBridge event pattern {@code videopipe/statemachines/<name>.pattern.json} with
   * {@code values} substituted, under the same rules: {@code upload-object-created} (starts
   * video-ingest), {@code transcode-job-state-change} (feeds transcodeCompleted),
   * {@code execution-failed} (feeds recordFailure).
   */
  public static String pattern(String name, Map<String, String> values) {
    String json = fill(name, read("/videopipe/statemachines/" + name + ".pattern.json"), values);
    videopipe.statemachines.asl.Json.tree(json);
    return json;
  }

  private static String read(String resource) {
    String text;
    try (InputStream in = StateMachineDefinitions.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no state machine definition " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    return text;
  }

  static Loaded substitute(String name, String text, Map<String, String> values) {
    String json = fill(name, text, values);
    return new Loaded(name, json, Definition.parse(json));
  }

  private static String fill(String name, String text, Map<String, String> values) {
    Set<String> used = new LinkedHashSet<>();
    Set<String> missing = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      used.add(key);
      String value = values.get(key);
      if (value == null) {
        missing.add(key);
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
      } else {
        // Placeholders sit inside JSON strings: the value is escaped as JSON string content.
        String quoted = videopipe.statemachines.asl.Json.write(value);
        m.appendReplacement(out, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
      }
    }
    m.appendTail(out);
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(used);
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalArgumentException("'" + name + "': "
          + (missing.isEmpty() ? "" : "no value for " + missing + (unknown.isEmpty() ? "" : "; "))
          + (unknown.isEmpty() ? "" : "values for placeholders it does not have: " + unknown));
    }
    return out.toString();
  }
}
