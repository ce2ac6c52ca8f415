package videopipe.localstack.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The functions jar's manifest, {@code functions.manifest.json} at the root of the jar (source:
 * {@code functions/src/main/resources/functions.manifest.json}): one entry per Lambda, naming its
 * bean, the environment variables it reads, its timeout, memory, optional reserved concurrency and
 * the IAM statements it needs. Pulumi reads the same file; the local stack reads it out of the very
 * jar it runs, so the two cannot drift apart.
 */
public record FunctionManifest(String handler, String runtime, Map<String, Function> functions) {

  /** Where the manifest sits in the functions jar. */
  public static final String RESOURCE = "functions.manifest.json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One Lambda function.
   *
   * @param environment the NAMES of the variables it reads; the stack supplies the values
   * @param reservedConcurrency at most this many concurrent invocations, or 0 for the runtime's default
   */
  public record Function(String name, String bean, int timeoutSeconds, int memoryMb, int reservedConcurrency,
                         List<String> environment, List<Permission> permissions) {

    public Function {
      if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("invalid function name: " + name);
      }
      if (bean == null || bean.isBlank()) {
        throw new IllegalArgumentException(name + ": no bean");
      }
      // Lambda's own limits: 1..900 s, 128..10240 MB.
      if (timeoutSeconds < 1 || timeoutSeconds > 900) {
        throw new IllegalArgumentException(name + ": timeoutSeconds must be 1..900, was " + timeoutSeconds);
      }
      if (memoryMb < 128 || memoryMb > 10240) {
        throw new IllegalArgumentException(name + ": memoryMb must be 128..10240, was " + memoryMb);
      }
      if (reservedConcurrency < 0) {
        throw new IllegalArgumentException(name + ": reservedConcurrency must not be negative");
      }
      environment = List.copyOf(environment);
      permissions = List.copyOf(permissions);
    }
  }

  /** One IAM statement (Allow), {@code ${Name}} placeholders left for the deployer to fill. */
  public record Permission(List<String> actions, List<String> resources) {}

  public FunctionManifest {
    functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  /** The function named {@code name}, or an exception naming the known ones. */
  public Function function(String name) {
    Function f = functions.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no function " + name + " in the manifest; known: " + functions.keySet());
    }
    return f;
  }

  /** Reads the manifest out of a functions jar. */
  public static FunctionManifest fromJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry(RESOURCE);
      if (entry == null) {
        throw new IllegalArgumentException(jar + " has no " + RESOURCE + ": is it the functions jar?");
      }
      try (InputStream in = file.getInputStream(entry)) {
        return read(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  public static FunctionManifest read(InputStream json) throws IOException {
    JsonNode root = JSON.readTree(json);
    Map<String, Function> functions = new LinkedHashMap<>();
    for (JsonNode f : root.path("functions")) {
      List<Permission> permissions = new ArrayList<>();
      for (JsonNode p : f.path("permissions")) {
        permissions.add(new Permission(strings(p.path("actions")), strings(p.path("resources"))));
      }
      Function function = new Function(f.path("name").asString(null), f.path("bean").asString(null),
          f.path("timeoutSeconds").asInt(3), f.path("memoryMb").asInt(128), f.path("reservedConcurrency").asInt(0),
          strings(f.path("environment")), permissions);
      if (functions.putIfAbsent(function.name(), function) != null) {
        throw new IllegalArgumentException("function " + function.name() + " is declared twice");
      }
    }
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("the manifest declares no function");
    }
    return new FunctionManifest(root.path("handler").asString(null), root.path("runtime").asString(null), functions);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asString());
    }
    return out;
  }
}
