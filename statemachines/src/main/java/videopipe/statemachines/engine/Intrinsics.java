package videopipe.statemachines.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import videopipe.statemachines.asl.Intrinsic;
import videopipe.statemachines.asl.Json;
import videopipe.statemachines.asl.StatesError;

/**
 * The {@code States.*} intrinsic functions of JSONPath states, as the Step Functions guide
 * documents them (intrinsic-functions). Wrong arguments fail with States.IntrinsicFailure. Where
 * the guide is silent, the choice is ours and says so.
 */
final class Intrinsics {

  /** The guide's limit on generated arrays and on encoded, decoded and hashed input. */
  private static final int MAX_ITEMS = 1000;
  private static final int MAX_CHARS = 10_000;

  private Intrinsics() {}

  static Object evaluate(Intrinsic i, Scope scope) {
    if (i instanceof Intrinsic.Value v) {
      return v.value();
    }
    if (i instanceof Intrinsic.PathArgument p) {
      return Paths.read(p.path(), scope.input(), scope.context());
    }
    Intrinsic.Call call = (Intrinsic.Call) i;
    List<Object> a = new ArrayList<>(call.arguments().size());
    for (Intrinsic arg : call.arguments()) {
      a.add(evaluate(arg, scope));
    }
    return apply(call.function(), a);
  }

  private static Object apply(String f, List<Object> a) {
    switch (f) {
      case "States.Format":
        return format(f, a);
      case "States.StringToJson":
        arity(f, a, 1);
        try {
          return Json.parse(string(f, a, 0));
        } catch (RuntimeException e) {
          throw fail(f, "the argument is not JSON text");
        }
      case "States.JsonToString":
        arity(f, a, 1);
        return Json.write(a.get(0));
      case "States.Array":
        return new ArrayList<>(a);
      case "States.ArrayPartition": {
        arity(f, a, 2);
        List<?> items = array(f, a, 0);
        long size = integer(f, a, 1);
        if (size < 1) {
          throw fail(f, "the chunk size must be positive");
        }
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < items.size(); k += (int) size) {
          out.add(new ArrayList<>(items.subList(k, (int) Math.min(items.size(), k + size))));
        }
        return out;
      }
      case "States.ArrayContains": {
        arity(f, a, 2);
        String needle = Json.write(a.get(1));
        return array(f, a, 0).stream().anyMatch(x -> Json.tree(Json.write(x)).equals(Json.tree(needle)));
      }
      case "States.ArrayRange": {
        arity(f, a, 3);
        long start = integer(f, a, 0);
        long end = integer(f, a, 1);
        long step = integer(f, a, 2);
        if (step == 0) {
          throw fail(f, "the step must not be 0");
        }
        List<Object> out = new ArrayList<>();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
          out.add(v);
          if (out.size() > MAX_ITEMS) {
            throw fail(f, "the range has more than " + MAX_ITEMS + " items");
          }
        }
        return out;
      }
      case "States.ArrayGetItem": {
        arity(f, a, 2);
        List<?> items = array(f, a, 0);
        long index = integer(f, a, 1);
        if (index < 0 || index >= items.size()) {
          throw fail(f, "index " + index + " is out of bounds for an array of " + items.size());
        }
        return items.get((int) index);
      }
      case "States.ArrayLength":
        arity(f, a, 1);
        return array(f, a, 0).size();
      case "States.ArrayUnique": {
        arity(f, a, 1);
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<Object> out = new ArrayList<>();
        for (Object x : array(f, a, 0)) {
          if (seen.add(Json.tree(Json.write(x)).toString())) {
            out.add(x);
          }
        }
        return out;
      }
      case "States.Base64Encode":
        arity(f, a, 1);
        return Base64.getEncoder().encodeToString(limited(f, a, 0).getBytes(StandardCharsets.UTF_8));
      case "States.Base64Decode":
        arity(f, a, 1);
        try {
          return new String(Base64.getDecoder().decode(limited(f, a, 0)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw fail(f, "the argument is not Base64");
        }
      case "States.Hash": {
        arity(f, a, 2);
        try {
          return AwsFunctions.hash(List.of(limited(f, a, 0), string(f, a, 1)));
        } catch (IllegalArgumentException e) {
          throw fail(f, e.getMessage());
        }
      }
      case "States.JsonMerge": {
        arity(f, a, 3);
        if (!(a.get(0) instanceof Map<?, ?> left) || !(a.get(1) instanceof Map<?, ?> right)) {
          throw fail(f, "the first two arguments must be objects");
        }
        if (!Boolean.FALSE.equals(a.get(2))) {
          // The guide: only the shallow merge is supported; the third argument must be false.
          throw fail(f, "only the shallow merge is supported: the third argument must be false");
        }
        Map<Object, Object> out = new LinkedHashMap<>(left);
        out.putAll(right);
        return out;
      }
      case "States.MathRandom": {
        if (a.size() != 2 && a.size() != 3) {
          throw fail(f, "takes a start, an end and an optional seed");
        }
        long start = integer(f, a, 0);
        long end = integer(f, a, 1);
        if (end <= start) {
          throw fail(f, "the end must be greater than the start");
        }
        // [start, end): the end excluded is our reading; a seed repeats here but not AWS's numbers.
        return a.size() == 3
            ? new SplittableRandom(integer(f, a, 2)).nextLong(start, end)
            : ThreadLocalRandom.current().nextLong(start, end);
      }
      case "States.MathAdd":
        arity(f, a, 2);
        return Math.addExact(integer(f, a, 0), integer(f, a, 1));
      case "States.StringSplit": {
        arity(f, a, 2);
        // Any character of the second argument splits; empty pieces are dropped (ours: StringTokenizer's rule).
        StringTokenizer t = new StringTokenizer(string(f, a, 0), string(f, a, 1));
        List<Object> out = new ArrayList<>();
        while (t.hasMoreTokens()) {
          out.add(t.nextToken());
        }
        return out;
      }
      default:
        arity(f, a, 0);
        return UUID.randomUUID().toString();
    }
  }

  /** {@code {}} takes the next argument; {@code \{} and {@code \}} are literal braces. */
  private static Object format(String f, List<Object> a) {
    if (a.isEmpty()) {
      throw fail(f, "needs a template");
    }
    String template = string(f, a, 0);
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int k = 0; k < template.length(); k++) {
      char c = template.charAt(k);
      if (c == '\\' && k + 1 < template.length()) {
        out.append(template.charAt(++k));
      } else if (c == '{' && k + 1 < template.length() && template.charAt(k + 1) == '}') {
        if (next >= a.size()) {
          throw fail(f, "more {} than arguments");
        }
        Object v = a.get(next++);
        if (v instanceof Map || v instanceof List) {
          throw fail(f, "arguments must be strings, numbers, booleans or null");
        }
        out.append(v == null ? "null" : v instanceof String s ? s : Json.write(v));
        k++;
      } else {
        out.append(c);
      }
    }
    if (next != a.size()) {
      throw fail(f, "more arguments than {}");
    }
    return out.toString();
  }

  private static void arity(String f, List<Object> a, int n) {
    if (a.size() != n) {
      throw fail(f, "takes " + n + " argument(s), was given " + a.size());
    }
  }

  private static String string(String f, List<Object> a, int k) {
    if (!(a.get(k) instanceof String s)) {
      throw fail(f, "argument " + (k + 1) + " must be a string, was " + Json.write(a.get(k)));
    }
    return s;
  }

  private static String limited(String f, List<Object> a, int k) {
    String s = string(f, a, k);
    if (s.length() > MAX_CHARS) {
      throw fail(f, "argument " + (k + 1) + " is longer than " + MAX_CHARS + " characters");
    }
    return s;
  }

  private static List<?> array(String f, List<Object> a, int k) {
    if (!(a.get(k) instanceof List<?> l)) {
      throw fail(f, "argument " + (k + 1) + " must be an array, was " + Json.write(a.get(k)));
    }
    return l;
  }

  private static long integer(String f, List<Object> a, int k) {
    if (!(a.get(k) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw fail(f, "argument " + (k + 1) + " must be an integer, was " + Json.write(a.get(k)));
    }
    return n.longValue();
  }

  private static Failure fail(String f, String message) {
    return new Failure(StatesError.INTRINSIC_FAILURE, f + ": " + message);
  }
}
