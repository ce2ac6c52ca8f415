package videopipe.statemachines.asl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JSONPath intrinsic function call ({@code "x.$": "States.Format('{} items', $.n)"}), parsed when
 * the definition is read: its name must be one of AWS's, its arguments string literals in single
 * quotes, numbers, {@code true}, {@code false}, {@code null}, paths ({@code $.…}, {@code $$.…}) or nested calls.
 */
public sealed interface Intrinsic {

  Set<String> FUNCTIONS = Set.of("States.Format", "States.StringToJson", "States.JsonToString", "States.Array",
      "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength",
      "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
      "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID");

  record Call(String function, List<Intrinsic> arguments) implements Intrinsic {}

  record Value(Object value) implements Intrinsic {}

  record PathArgument(DataPath path) implements Intrinsic {}

  /** Parses a call, reporting the first syntax problem at {@code location}. */
  static Optional<Call> parse(String text, String location, Problems problems) {
    Reader r = new Reader(text, location, problems);
    try {
      Call call = r.call();
      r.skipSpaces();
      if (!r.atEnd()) {
        throw r.error("unexpected text after the call");
      }
      return Optional.of(call);
    } catch (IllegalArgumentException e) {
      problems.schema(location, "invalid intrinsic function call '" + text + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A small recursive-descent reader over the call's text. */
  final class Reader {
    private final String s;
    private final String location;
    private final Problems problems;
    private int i;

    Reader(String s, String location, Problems problems) {
      this.s = s;
      this.location = location;
      this.problems = problems;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    void skipSpaces() {
      while (!atEnd() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message + " at character " + i);
    }

    Call call() {
      skipSpaces();
      int start = i;
      while (!atEnd() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String name = s.substring(start, i);
      if (!FUNCTIONS.contains(name)) {
        throw error("'" + name + "' is not an intrinsic function");
      }
      skipSpaces();
      expect('(');
      List<Intrinsic> args = new ArrayList<>();
      skipSpaces();
      if (peek() == ')') {
        i++;
        return new Call(name, List.copyOf(args));
      }
      while (true) {
        args.add(argument());
        skipSpaces();
        char c = next();
        if (c == ')') {
          return new Call(name, List.copyOf(args));
        }
        if (c != ',') {
          i--;
          throw error("expected ',' or ')'");
        }
      }
    }

    private Intrinsic argument() {
      skipSpaces();
      char c = peek();
      if (c == '\'') {
        return new Value(string());
      }
      if (c == '$') {
        return path();
      }
      if (c == '-' || Character.isDigit(c)) {
        int start = i;
        i++;
        while (!atEnd() && (Character.isDigit(peek()) || "+-.eE".indexOf(peek()) >= 0)) {
          i++;
        }
        try {
          BigDecimal n = new BigDecimal(s.substring(start, i));
          return new Value(n.scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
              ? (Object) n.longValueExact() : (Object) n.doubleValue());
        } catch (NumberFormatException | ArithmeticException e) {
          throw error("bad number '" + s.substring(start, i) + "'");
        }
      }
      for (String literal : new String[] {"null", "true", "false"}) {
        if (s.startsWith(literal, i)) {
          i += literal.length();
          return new Value(literal.equals("null") ? null : Boolean.valueOf(literal));
        }
      }
      return call();
    }

    /** {@code '…'} with {@code \'} and {@code \\} unescaped; {@code \{} and {@code \}} kept for States.Format. */
    private String string() {
      expect('\'');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw error("unterminated string");
        }
        char c = next();
        if (c == '\'') {
          return out.toString();
        }
        if (c == '\\' && !atEnd()) {
          char e = next();
          if (e == '{' || e == '}') {
            out.append('\\');
          }
          out.append(e);
        } else {
          out.append(c);
        }
      }
    }

    private Intrinsic path() {
      int start = i;
      int depth = 0;
      boolean quoted = false;
      while (!atEnd()) {
        char c = peek();
        if (c == '\'' ) {
          quoted = !quoted;
        } else if (!quoted && c == '[') {
          depth++;
        } else if (!quoted && c == ']') {
          depth--;
        } else if (!quoted && depth == 0 && (c == ',' || c == ')')) {
          break;
        }
        i++;
      }
      String text = s.substring(start, i).strip();
      return DataPath.parse(text, location, DataPath.Kind.PATH, problems)
          .<Intrinsic>map(PathArgument::new)
          .orElseThrow(() -> error("bad path '" + text + "'"));
    }

    private char peek() {
      if (atEnd()) {
        throw error("unexpected end");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (atEnd() || s.charAt(i) != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }
  }
}
