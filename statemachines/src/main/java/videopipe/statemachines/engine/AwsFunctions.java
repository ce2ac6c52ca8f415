package videopipe.statemachines.engine;

import com.dashjoin.jsonata.Jsonata;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import videopipe.statemachines.asl.Json;

/**
 * The JSONata functions Step Functions adds ({@code $partition}, {@code $range}, {@code $hash},
 * {@code $random}, {@code $uuid}, {@code $parse}) and the one it removes ({@code $eval}), as the
 * Step Functions guide describes them (transforming-data, "JSONata functions provided by Step
 * Functions"). A seeded {@code $random} is repeatable here but gives other numbers than AWS.
 */
final class AwsFunctions {

  private static final Set<String> HASHES = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private AwsFunctions() {}

  /**
   * The functions, made once: a function holds its name and body only, so evaluations on any
   * thread share them.
   */
  private static final Map<String, Jsonata.JFunction> FUNCTIONS = functions();

  private static Map<String, Jsonata.JFunction> functions() {
    Map<String, Jsonata.JFunction> f = new LinkedHashMap<>();
    f.put("partition", fn("partition", AwsFunctions::partition));
    f.put("range", fn("range", AwsFunctions::range));
    f.put("hash", fn("hash", AwsFunctions::hash));
    f.put("random", fn("random", AwsFunctions::random));
    f.put("uuid", fn("uuid", args -> UUID.randomUUID().toString()));
    f.put("parse", fn("parse", AwsFunctions::parse));
    f.put("eval", fn("eval", args -> {
      throw new IllegalArgumentException("$eval is not available in Step Functions; use $parse");
    }));
    return Collections.unmodifiableMap(f);
  }

  static void bind(Jsonata.Frame frame) {
    for (Map.Entry<String, Jsonata.JFunction> f : FUNCTIONS.entrySet()) {
      frame.bind(f.getKey(), f.getValue());
    }
  }

  private static Jsonata.JFunction fn(String name, Jsonata.FnVarArgs<Object> body) {
    return Jsonata.function(name, body, null);
  }

  private static Object partition(List<?> args) {
    if (args.size() != 2 || !(args.get(0) instanceof List<?> items) || !(args.get(1) instanceof Number size)
        || size.doubleValue() != Math.rint(size.doubleValue()) || size.intValue() < 1) {
      throw new IllegalArgumentException("$partition(array, chunkSize) needs an array and a positive integer");
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size.intValue()) {
      out.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + size.intValue()))));
    }
    return out;
  }

  private static Object range(List<?> args) {
    if (args.size() != 3 || !args.stream().allMatch(a -> a instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))) {
      throw new IllegalArgumentException("$range(start, end, step) needs three integers");
    }
    long start = ((Number) args.get(0)).longValue();
    long end = ((Number) args.get(1)).longValue();
    long step = ((Number) args.get(2)).longValue();
    if (step == 0) {
      throw new IllegalArgumentException("$range: step must not be 0");
    }
    List<Object> out = new ArrayList<>();
    for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.add(v);
      if (out.size() > 1000) {
        // AWS caps generated arrays at 1000 items (the same limit as States.ArrayRange); ours, not checked.
        throw new IllegalArgumentException("$range: more than 1000 items");
      }
    }
    return out;
  }

  static Object hash(List<?> args) {
    if (args.size() != 2 || !(args.get(1) instanceof String algorithm) || !HASHES.contains(algorithm)) {
      throw new IllegalArgumentException("$hash(value, algorithm) needs one of " + HASHES);
    }
    String value = args.get(0) instanceof String s ? s : Json.write(args.get(0));
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
      return String.format("%0" + (digest.length * 2) + "x", new BigInteger(1, digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object random(List<?> args) {
    if (args.isEmpty()) {
      return ThreadLocalRandom.current().nextDouble();
    }
    if (!(args.get(0) instanceof Number seed)) {
      throw new IllegalArgumentException("$random(seed) needs a number");
    }
    return new SplittableRandom(seed.longValue()).nextDouble();
  }

  private static Object parse(List<?> args) {
    if (args.size() != 1 || !(args.get(0) instanceof String text)) {
      throw new IllegalArgumentException("$parse(text) needs a string");
    }
    Object parsed = Json.parse(text);
    return parsed == null ? Jsonata.NULL_VALUE : parsed;
  }
}
