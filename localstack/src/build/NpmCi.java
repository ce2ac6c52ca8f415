import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Build step of {@code localstack/} (run by exec-maven-plugin as a single-file Java program, so it
 * needs nothing but the JDK that runs Maven): installs the node packages of {@code package-lock.json}
 * with {@code npm ci}, and writes where they are into a resource of the jar.
 *
 * <p>Java rather than a shell script, so that it runs wherever Maven does. That Node.js 20+ is on
 * PATH is checked before, by the enforcer rule in localstack/pom.xml, whose message ends the log.
 *
 * <p>{@code npm ci} deletes and rebuilds {@code node_modules} (a couple of seconds, and it needs
 * the registry), so it is skipped when {@code node_modules} already holds exactly this lock: after
 * a successful install we write the SHA-256 of {@code package.json} and {@code package-lock.json}
 * into {@code node_modules/.videopipe-lock.sha256}. (npm's own {@code node_modules/.package-lock.json}
 * is not a copy of the lock, so comparing it would mean comparing JSON trees.)
 * Because {@code npm ci} removes {@code node_modules} first, an interrupted install leaves no stamp
 * and the next build installs again.
 *
 * <p>Usage: {@code java NpmCi.java <project dir> <generated resources dir>}
 */
public final class NpmCi {

  static final int MIN_NODE_MAJOR = 20;
  static final String STAMP = ".videopipe-lock.sha256";
  /** Read by videopipe.localstack.dynamodb.DynaliteHome at run time; keep the two in step. */
  static final String PROPERTIES = "videopipe/localstack/dynamodb/dynalite.properties";

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      fail("usage: java NpmCi.java <project dir> <generated resources dir>");
    }
    Path project = Path.of(args[0]).toAbsolutePath().normalize();
    Path generated = Path.of(args[1]).toAbsolutePath().normalize();
    Path nodeModules = project.resolve("node_modules");

    String lockHash = sha256(project.resolve("package.json"), project.resolve("package-lock.json"));
    Path stamp = nodeModules.resolve(STAMP);
    boolean upToDate = Files.isRegularFile(stamp)
        && Files.readString(stamp, StandardCharsets.UTF_8).trim().equals(lockHash)
        && Files.isRegularFile(nodeModules.resolve("dynalite/package.json"));
    if (!upToDate) {
      npmCi(project);
      Files.writeString(stamp, lockHash + "\n", StandardCharsets.UTF_8);
    }
    writeProperties(generated, nodeModules);
  }

  private static void npmCi(Path project) throws InterruptedException {
    // --ignore-scripts: no package in the lock needs an install step on the platforms we run
    // (classic-level, LevelDB for dynalite's on-disk mode, ships prebuilt binaries that it finds
    // at load time; its install script only compiles when none matches), and a build should not
    // run third-party scripts.
    List<String> command = List.of(npm(), "ci", "--no-audit", "--no-fund", "--ignore-scripts");
    System.out.println("[localstack] " + String.join(" ", command) + " (node_modules does not match package-lock.json)");
    int exit;
    try {
      Process p = new ProcessBuilder(command).directory(project.toFile()).inheritIO().start();
      exit = p.waitFor();
    } catch (IOException e) {
      fail("`npm` was not found on PATH (it ships with Node.js " + MIN_NODE_MAJOR + "+, https://nodejs.org): " + e.getMessage());
      return;
    }
    if (exit != 0) {
      fail("`npm ci` failed with exit code " + exit + " in " + project + " (see its output above)");
    }
  }

  private static void writeProperties(Path generated, Path nodeModules) throws IOException {
    // Written by hand, not with Properties.store: its timestamp comment would change the jar on
    // every build. Backslashes (Windows paths) are the one thing a value needs escaped here.
    String content = "# written by localstack/src/build/NpmCi.java: where npm ci installed dynalite\n"
        + "dynalite.home=" + nodeModules.toString().replace("\\", "\\\\") + "\n";
    Path file = generated.resolve(PROPERTIES);
    if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
      return;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** npm is a .cmd file on Windows, which ProcessBuilder only finds by its full name. */
  private static String npm() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
  }

  private static String sha256(Path... files) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        fail(file + " is missing: it pins dynalite and must be committed");
      }
      digest.update(Files.readAllBytes(file));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void fail(String message) {
    System.err.println("[localstack] ERROR: " + message);
    System.exit(1);
  }
}
