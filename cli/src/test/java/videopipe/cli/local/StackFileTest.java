package videopipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stack file holds the local keys, so only its owner reads it; a stopped stack takes it away,
 * and a file whose stack is gone is reported as "no stack running", never used.
 */
class StackFileTest {

  @TempDir
  Path dir;

  private static ObjectNode file(String api, String keyId) {
    ObjectNode json = LocalStack.JSON.createObjectNode();
    json.put("format", StackFile.FORMAT);
    json.putObject("endpoints").put("api", api);
    json.putObject("jwt").put("keyId", keyId);
    return json;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void isWrittenForItsOwnerOnlyInAFolderOfItsOwn() throws Exception {
    Path home = dir.resolve("videopipe-home");
    try (StackFile.Published published = StackFile.publish(file("http://127.0.0.1:1", "k1"), home)) {
      assertThat(published.file()).isEqualTo(home.resolve("local-stack.json"));
      assertThat(PosixFilePermissions.toString(StackFile.permissions(published.file()))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
      assertThat(Files.list(home)).containsExactly(published.file());
    }
    assertThat(home.resolve("local-stack.json")).doesNotExist();
  }

  @Test
  void leavesTheFileOfTheStackThatReplacedIt() throws Exception {
    StackFile.Published first = StackFile.publish(file("http://127.0.0.1:1", "k1"), dir);
    StackFile.Published second = StackFile.publish(file("http://127.0.0.1:2", "k2"), dir);

    first.close();

    assertThat(Files.readString(second.file())).contains("\"k2\"");
    second.close();
    assertThat(second.file()).doesNotExist();
  }

  @Test
  void aServiceWithoutItsOwnEndpointIsReachedThroughTheEdge() {
    ObjectNode json = file("http://127.0.0.1:8080", "k1");
    ((ObjectNode) json.path("endpoints")).put("edge", "http://127.0.0.1:4566").put("s3", "http://127.0.0.1:9000");
    StackFile file = new StackFile(dir.resolve("local-stack.json"), json);

    assertThat(file.endpoint("s3").toString()).isEqualTo("http://127.0.0.1:9000");
    assertThat(file.endpoint("sfn").toString()).isEqualTo("http://127.0.0.1:4566");
    assertThat(file.apiEndpoint().toString()).as("the API is never the edge").isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void noFileMeansNoStackRunning() {
    assertThatThrownBy(() -> StackFile.running(dir)).isInstanceOf(StackFile.NotRunning.class)
        .hasMessage("no local stack is running: start it with ./videopipe local up");
  }

  @Test
  void aFileWhoseStackDoesNotAnswerIsStale() throws Exception {
    String api = "http://127.0.0.1:" + closedPort();
    StackFile.publish(file(api, "k1"), dir);

    assertThatThrownBy(() -> StackFile.running(dir)).isInstanceOf(StackFile.NotRunning.class)
        .hasMessage("no local stack is running: start it with ./videopipe local up (the stack file "
            + dir.resolve("local-stack.json") + " is stale: " + api + " does not answer)");
  }

  @Test
  void aFileWhosePortNowServesAnotherKeyIsStale() throws Exception {
    HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", exchange -> {
      byte[] body = "{\"keys\":[{\"kid\":\"someone-else\"}]}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    other.start();
    try {
      String api = "http://127.0.0.1:" + other.getAddress().getPort();
      StackFile.publish(file(api, "k1"), dir);

      assertThatThrownBy(() -> StackFile.running(dir)).isInstanceOf(StackFile.NotRunning.class)
          .hasMessageEndingWith("is stale: " + api + " is another server)");
    } finally {
      other.stop(0);
    }
  }

  @Test
  void aFileInAnotherFormatIsRefused() throws Exception {
    Files.writeString(dir.resolve("local-stack.json"), "{\"format\":\"something/9\"}");

    assertThatThrownBy(() -> StackFile.running(dir)).isInstanceOf(StackFile.NotRunning.class)
        .hasMessageEndingWith("(" + dir.resolve("local-stack.json") + " is not in format videopipe-local-stack/1)");
  }
}
