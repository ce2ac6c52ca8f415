package videopipe.localstack;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import videopipe.localstack.apigateway.JwtAuthorizer;

/**
 * The keys of a local stack started on a data directory, kept under {@code <dataDir>/keys/} so
 * that a restart on it keeps them: the AWS keys an engineer exported and the API tokens already
 * minted go on working with the data they were made for.
 *
 * <ul>
 *   <li>{@code keys/aws.json}: S3's access key and secret, which every service's SDK properties
 *       carry ({@link LocalServices});
 *   <li>{@code keys/jwt.json}: the API gateway's JWT issuer and private signing key (the CLI's
 *       stack). The issuer is kept with the key: it is the first start's gateway endpoint, and a
 *       gateway on another port would otherwise refuse the tokens minted before.
 * </ul>
 *
 * <p>A stack reads a file if it is there; if not, it starts with new keys and {@link #keep keeps}
 * them. Each file is written once, whole (moved into place), mode 0600, in a folder created 0700,
 * and never replaced. A file that cannot be read or is not what it should be fails the start,
 * naming the file and what is wrong, and is left as it is: replacing it would quietly invalidate
 * the keys handed out. Deleting it gives new keys at the next start. Nothing here puts a secret in
 * a message or a log.
 */
public final class LocalKeys {

  public static final String FOLDER = "keys";
  public static final String FORMAT = "videopipe-local-keys/1";
  static final String AWS_FILE = "aws.json";
  static final String JWT_FILE = "jwt.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** S3's access key and secret. */
  public record AwsKeys(String accessKeyId, String secretAccessKey) {
    public AwsKeys {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "AwsKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
    }
  }

  /** The gateway's JWT issuer and its signing key, a private RSA JWK. */
  public record JwtKey(String issuer, String signingKeyJwk) {
    public JwtKey {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(signingKeyJwk, "signingKeyJwk");
    }

    @Override
    public String toString() {
      return "JwtKey[issuer=" + issuer + ", signingKeyJwk=****]";
    }
  }

  private final Path folder;

  private LocalKeys(Path folder) {
    this.folder = folder;
  }

  /** The keys of the stack whose data is under {@code dataDir}. */
  public static LocalKeys in(Path dataDir) {
    return new LocalKeys(dataDir.resolve(FOLDER));
  }

  public Path folder() {
    return folder;
  }

  /** The AWS keys kept here, or empty before the first start. */
  public Optional<AwsKeys> aws() {
    return read(AWS_FILE, List.of("accessKeyId", "secretAccessKey"))
        .map(f -> new AwsKeys(f.get("accessKeyId"), f.get("secretAccessKey")));
  }

  /** The gateway's key kept here, or empty before the first start. */
  public Optional<JwtKey> jwt() {
    Path file = folder.resolve(JWT_FILE);
    return read(JWT_FILE, List.of("issuer", "signingKey")).map(f -> {
      try {
        JwtAuthorizer.checkSigningKey(f.get("signingKey"));
      } catch (IllegalArgumentException e) {
        throw unusable(file, e.getMessage());
      }
      return new JwtKey(f.get("issuer"), f.get("signingKey"));
    });
  }

  /** Keeps {@code keys} for the next starts. */
  public void keep(AwsKeys keys) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("accessKeyId", keys.accessKeyId());
    fields.put("secretAccessKey", keys.secretAccessKey());
    write(AWS_FILE, fields);
  }

  /** Keeps {@code key} for the next starts. */
  public void keep(JwtKey key) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("issuer", key.issuer());
    fields.put("signingKey", key.signingKeyJwk());
    write(JWT_FILE, fields);
  }

  private Optional<Map<String, String>> read(String name, List<String> required) {
    Path file = folder.resolve(name);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unusable(file, "cannot read it (" + e + ")");
    }
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (JacksonException e) {
      // Not Jackson's message: it quotes the text it stumbled on, which may be part of a secret.
      TokenStreamLocation at = e.getLocation();
      throw unusable(file, "it is not JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")"));
    }
    if (json == null || !json.isObject()) {
      throw unusable(file, "it is not a JSON object");
    }
    if (!FORMAT.equals(json.path("format").asString(null))) {
      throw unusable(file, "its \"format\" is not \"" + FORMAT + "\"");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : required) {
      JsonNode value = json.path(field);
      if (!value.isString() || value.asString().isBlank()) {
        throw unusable(file, "it has no \"" + field + "\" (a non-empty string)");
      }
      fields.put(field, value.asString());
    }
    return Optional.of(fields);
  }

  private void write(String name, Map<String, String> fields) {
    Path file = folder.resolve(name);
    Path temporary = folder.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
    ObjectNode json = JSON.createObjectNode();
    json.put("format", FORMAT);
    fields.forEach(json::put);
    try {
      createFolder();
      Files.deleteIfExists(temporary);
      if (posix()) {
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(temporary);
      }
      try {
        Files.write(temporary, JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        // A rename in one folder, so a reader sees all or nothing; without REPLACE_EXISTING, so
        // that keys already kept (by a start running at the same time) are never replaced.
        Files.move(temporary, file);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("cannot keep the keys in " + file + ": another start kept its own there"
          + " meanwhile; start again to use those", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the keys file " + file + ": " + e, e);
    }
  }

  /** Only a folder of our own making is set to 0700: the data directory's owner may have chosen otherwise. */
  private void createFolder() throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Files.createDirectories(folder.toAbsolutePath().getParent());
    if (posix()) {
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(folder);
    }
  }

  private boolean posix() {
    return folder.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static IllegalStateException unusable(Path file, String what) {
    return new IllegalStateException("cannot use the keys file " + file + ": " + what + ". It holds the keys of"
        + " the stack whose data is beside it; restore it, or delete it to start with new keys (the AWS keys"
        + " exported and the API tokens minted with the old ones then stop working)");
  }
}
