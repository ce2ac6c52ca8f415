package videopipe.cli.commands;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's arguments: positionals, {@code --name value} options (some repeatable) and
 * {@code --flag}s. Anything else starting with {@code -} is refused, naming it, until a {@code --}:
 * every argument after it is positional, so a value that starts with {@code -} can be given.
 */
final class Args {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

  private final List<String> positional = new ArrayList<>();
  private final Map<String, List<String>> options = new LinkedHashMap<>();

  private Args() {}

  /**
   * @param valued options that take a value ({@code --user alice})
   * @param repeatable those of {@code valued} that may be given more than once
   * @param flags options without a value ({@code --wait})
   */
  static Args parse(List<String> argv, Set<String> valued, Set<String> repeatable, Set<String> flags)
      throws CommandError {
    Args args = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("--")) {
        args.positional.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (flags.contains(a)) {
        args.options.computeIfAbsent(a, k -> new ArrayList<>()).add("");
      } else if (valued.contains(a)) {
        if (i + 1 >= argv.size()) {
          throw CommandError.usage(a + " needs a value");
        }
        List<String> values = args.options.computeIfAbsent(a, k -> new ArrayList<>());
        if (!values.isEmpty() && !repeatable.contains(a)) {
          throw CommandError.usage(a + " given twice");
        }
        values.add(argv.get(++i));
      } else if (a.startsWith("--") || (a.startsWith("-") && a.length() > 1)) {
        throw CommandError.usage("unknown option " + a);
      } else {
        args.positional.add(a);
      }
    }
    return args;
  }

  List<String> positional() {
    return positional;
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  String value(String name, String otherwise) {
    List<String> values = options.get(name);
    return values == null ? otherwise : values.get(0);
  }

  List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  /** An integer option within {@code min..max}. */
  int integer(String name, int otherwise, int min, int max) throws CommandError {
    String value = value(name, null);
    if (value == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw CommandError.input(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, or ISO-8601 ({@code PT1H30M}); positive. */
  Duration duration(String name, Duration otherwise) throws CommandError {
    String value = value(name, null);
    if (value == null) {
      return otherwise;
    }
    Duration d;
    Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        throw CommandError.input(name + " " + value + " is too long");
      }
    } else {
      try {
        d = Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw CommandError.input(name + " must be a duration like 90s, 15m, 1h, 2d or PT1H30M, got '" + value + "'");
      }
    }
    if (d.isZero() || d.isNegative()) {
      throw CommandError.input(name + " must be positive, got '" + value + "'");
    }
    return d;
  }
}
