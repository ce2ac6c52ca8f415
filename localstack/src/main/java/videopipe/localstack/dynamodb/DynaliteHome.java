package videopipe.localstack.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds the {@code node_modules} folder that holds dynalite.
 *
 * <p>The build installs dynalite into {@code localstack/node_modules} with {@code npm ci} and
 * writes that absolute path into {@code dynalite.properties} inside this jar. So a test of any
 * module of the same checkout (the {@code functions} tests run the localstack jar from the reactor
 * or from {@code ~/.m2}) finds it without knowing where localstack lives: the jar says so. Copying
 * node_modules into the jar instead would mean extracting thousands of files and a native LevelDB
 * binary at every start.
 *
 * <p>Where the jar travels without its checkout (a packaged CLI, another machine), the system
 * property {@value #PROPERTY} or the environment variable {@value #ENV} names the folder instead;
 * either wins over the jar's value.
 */
final class DynaliteHome {

  static final String PROPERTY = "videopipe.dynalite.home";
  static final String ENV = "VIDEOPIPE_DYNALITE_HOME";
  /** Written by localstack/src/build/NpmCi.java; keep the two in step. */
  static final String RESOURCE = "/videopipe/localstack/dynamodb/dynalite.properties";

  private DynaliteHome() {}

  /** The {@code node_modules} folder to use, checked to contain dynalite. */
  static Path locate() {
    String configured = System.getProperty(PROPERTY);
    String source = "system property " + PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
      source = "environment variable " + ENV;
    }
    if (configured == null || configured.isBlank()) {
      configured = fromJar();
      source = "dynalite.properties written by the localstack build";
    }
    if (configured == null) {
      throw new IllegalStateException("dynalite's location is unknown: this localstack jar was built without "
          + RESOURCE + "; build localstack with Maven (it runs npm ci), or set " + ENV
          + " to a node_modules folder that holds dynalite");
    }
    return check(Path.of(configured), source);
  }

  static Path check(Path home, String source) {
    if (!Files.isRegularFile(home.resolve("dynalite").resolve("package.json"))) {
      throw new IllegalStateException("dynalite is not installed in " + home + " (from " + source
          + "): build localstack with Maven, which runs `npm ci` in localstack/, or set " + ENV
          + " to a node_modules folder that holds dynalite");
    }
    return home;
  }

  private static String fromJar() {
    try (InputStream in = DynaliteHome.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      Properties props = new Properties();
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return props.getProperty("dynalite.home");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
