package videopipe.functions;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import videopipe.functions.metadata.Container;

/**
 * The functions' configuration, read once from the environment (a Lambda's environment variables,
 * set by Pulumi or by the local stack). Missing or malformed values fail at start-up, naming the
 * variable, rather than on the first event.
 *
 * @param catalogTable DynamoDB table of the catalog ({@code CATALOG_TABLE})
 * @param eventBus EventBridge bus for {@code Video Ready}/{@code Video Failed} ({@code EVENT_BUS_NAME})
 * @param maxUploadBytes largest accepted source ({@code MAX_UPLOAD_BYTES}, default 5 GiB)
 * @param maxDurationSeconds longest accepted video ({@code MAX_DURATION_SECONDS}, default 4 h)
 * @param allowedContainers accepted containers ({@code ALLOWED_CONTAINERS}, comma-separated, default all)
 * @param s3PathStyle path-style S3 addressing ({@code S3_FORCE_PATH_STYLE}); only emulators on
 *     loopback need it, where {@code bucket.localhost} does not resolve
 */
public record Settings(
    String catalogTable,
    String eventBus,
    long maxUploadBytes,
    long maxDurationSeconds,
    Set<Container> allowedContainers,
    boolean s3PathStyle) {

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;
  public static final long DEFAULT_MAX_DURATION_SECONDS = 4 * 3600;

  public Settings {
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("MAX_UPLOAD_BYTES must be positive, was " + maxUploadBytes);
    }
    if (maxDurationSeconds <= 0) {
      throw new IllegalArgumentException("MAX_DURATION_SECONDS must be positive, was " + maxDurationSeconds);
    }
    if (allowedContainers.isEmpty()) {
      throw new IllegalArgumentException("ALLOWED_CONTAINERS names no container");
    }
    allowedContainers = Set.copyOf(allowedContainers);
  }

  public static Settings from(Map<String, String> env) {
    return from(env::get);
  }

  /**
   * Reads the settings through a lookup: a Lambda's environment variables as Spring's {@code
   * Environment} sees them (which also lets a local runtime give each function, in its own class
   * loader, its own values).
   */
  public static Settings from(java.util.function.UnaryOperator<String> env) {
    return new Settings(
        required(env, "CATALOG_TABLE"),
        required(env, "EVENT_BUS_NAME"),
        positiveLong(env, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
        positiveLong(env, "MAX_DURATION_SECONDS", DEFAULT_MAX_DURATION_SECONDS),
        containers(env.apply("ALLOWED_CONTAINERS")),
        Boolean.parseBoolean(env.apply("S3_FORCE_PATH_STYLE")));
  }

  private static String required(java.util.function.UnaryOperator<String> env, String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value.trim();
  }

  private static long positiveLong(java.util.function.UnaryOperator<String> env, String name, long fallback) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("environment variable " + name + " is not a whole number: '" + value + "'");
    }
  }

  private static Set<Container> containers(String value) {
    if (value == null || value.isBlank()) {
      return EnumSet.allOf(Container.class);
    }
    EnumSet<Container> set = EnumSet.noneOf(Container.class);
    for (String name : value.split(",")) {
      String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      if (n.isEmpty()) {
        continue;
      }
      try {
        set.add(Container.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("ALLOWED_CONTAINERS names an unknown container '" + name.trim()
            + "'; known: " + EnumSet.allOf(Container.class));
      }
    }
    return set;
  }
}
