package videopipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys a stack keeps in its data directory: what the engineer exported and the tokens minted
 * depend on them, so they are kept readable by the owner alone, and a damaged file stops the start
 * with the file named and the way out, rather than being replaced by new keys without a word.
 * (That a restarted stack uses them is {@code cli}'s {@code LocalStackDataDirTest}.)
 */
class LocalKeysTest {

  static final LocalKeys.AwsKeys AWS = new LocalKeys.AwsKeys("LOCALAAAABBBBCCCCDDDD", "s3cr3t-0123456789abcdef");

  @TempDir
  Path data;

  @Test
  void aNewDataDirHasNoKeysYet() {
    assertThat(LocalKeys.in(data).aws()).isEmpty();
    assertThat(LocalKeys.in(data).jwt()).isEmpty();
    assertThat(data.resolve(LocalKeys.FOLDER)).doesNotExist();
  }

  @Test
  void keysKeptAreReadBackByTheNextStart() throws Exception {
    LocalKeys.JwtKey jwt = new LocalKeys.JwtKey("http://127.0.0.1:41234", signingKey().toJSONString());

    LocalKeys.in(data).keep(AWS);
    LocalKeys.in(data).keep(jwt);

    assertThat(LocalKeys.in(data).aws()).contains(AWS);
    assertThat(LocalKeys.in(data).jwt()).contains(jwt);
  }

  @Test
  void keysKeptAreNeverReplaced() {
    LocalKeys.in(data).keep(AWS);

    assertThatThrownBy(() -> LocalKeys.in(data).keep(new LocalKeys.AwsKeys("LOCALOTHER", "other")))
        .hasMessageContaining("cannot keep the keys in " + data.resolve("keys").resolve("aws.json"));
    assertThat(LocalKeys.in(data).aws()).contains(AWS);
  }

  @Test
  void keysAreReadableByTheOwnerAloneInAFolderOfTheirOwn() throws Exception {
    LocalKeys keys = LocalKeys.in(data.resolve("not-yet-there"));

    keys.keep(AWS);
    keys.keep(new LocalKeys.JwtKey("http://127.0.0.1:41234", signingKey().toJSONString()));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.folder()))).isEqualTo("rwx------");
    try (var files = Files.list(keys.folder())) {
      assertThat(files.map(f -> f.getFileName() + " " + permissions(f)))
          .containsExactlyInAnyOrder("aws.json rw-------", "jwt.json rw-------");
    }
  }

  @Test
  void aFileThatIsNotJsonStopsTheStartNamingItWithoutEchoingIt() throws Exception {
    Path file = damaged(LocalKeys.AWS_FILE, "{\"format\": \"videopipe-local-keys/1\", \"secretAccessKey\": s3cr3t");

    assertThatThrownBy(() -> LocalKeys.in(data).aws())
        .hasMessageContaining("cannot use the keys file " + file + ": it is not JSON (line 1, column ")
        .hasMessageContaining("delete it to start with new keys")
        .message().doesNotContain("s3cr3t");
    assertThat(file).hasContent("{\"format\": \"videopipe-local-keys/1\", \"secretAccessKey\": s3cr3t");
  }

  @Test
  void aFileWithoutAFieldStopsTheStartNamingTheField() throws Exception {
    Path file = damaged(LocalKeys.AWS_FILE, "{\"format\": \"videopipe-local-keys/1\", \"accessKeyId\": \"LOCALX\"}");

    assertThatThrownBy(() -> LocalKeys.in(data).aws())
        .hasMessageContaining("cannot use the keys file " + file + ": it has no \"secretAccessKey\"");
  }

  @Test
  void aFileOfAnotherFormatStopsTheStart() throws Exception {
    Path file = damaged(LocalKeys.AWS_FILE, "{\"accessKeyId\": \"LOCALX\", \"secretAccessKey\": \"s\"}");

    assertThatThrownBy(() -> LocalKeys.in(data).aws())
        .hasMessageContaining("cannot use the keys file " + file + ": its \"format\" is not \"videopipe-local-keys/1\"");
  }

  @Test
  void aSigningKeyWithoutItsPrivatePartStopsTheStart() throws Exception {
    Path file = damaged(LocalKeys.JWT_FILE, "{\"format\": \"videopipe-local-keys/1\", \"issuer\": \"http://127.0.0.1:1\","
        + " \"signingKey\": " + jsonString(signingKey().toPublicJWK().toJSONString()) + "}");

    assertThatThrownBy(() -> LocalKeys.in(data).jwt())
        .hasMessageContaining("cannot use the keys file " + file + ": the signing key is a public JWK");
  }

  @Test
  void aFileThatCannotBeReadStopsTheStart() throws Exception {
    Path file = Files.createDirectories(data.resolve(LocalKeys.FOLDER).resolve(LocalKeys.JWT_FILE));

    assertThatThrownBy(() -> LocalKeys.in(data).jwt())
        .hasMessageContaining("cannot use the keys file " + file + ": cannot read it");
  }

  @Test
  void neitherKindOfKeyPrintsItsSecret() throws Exception {
    String jwk = signingKey().toJSONString();

    assertThat(AWS.toString()).doesNotContain(AWS.secretAccessKey()).contains(AWS.accessKeyId());
    assertThat(new LocalKeys.JwtKey("http://127.0.0.1:1", jwk).toString()).doesNotContain(jwk.substring(20, 60));
  }

  private Path damaged(String name, String content) throws Exception {
    return Files.writeString(Files.createDirectories(data.resolve(LocalKeys.FOLDER)).resolve(name), content);
  }

  private static RSAKey signingKey() throws Exception {
    return new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.RS256).keyID("kept").generate();
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The key as the string value the file holds it in (the JWK's JSON, quoted). */
  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
