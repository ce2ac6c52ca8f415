package videopipe.localstack.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every container of the local Lambda reads the same functions jar, and {@code jar:} URLs share
 * one cached {@code JarFile} per jar across class loaders. A container thrown away (a timeout)
 * while another one starts must not close that shared file under the other's feet: the stack
 * benchmark's burst of 200 uploads lost an upload that way (validateUpload failed to initialise:
 * Tika's {@code MimeTypes} read "Stream closed" while a timed-out createUpload container closed).
 */
class FunctionClassLoaderCloseTest {

  @TempDir
  Path dir;

  @Test
  void closingOneContainersLoaderLeavesAnotherReadingTheJar() throws Exception {
    String text = "<mime-info>" + "<mime-type type=\"video/mp4\"/>".repeat(2_000) + "</mime-info>";
    Path jar = dir.resolve("functions.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      for (String name : new String[] {"spring.factories", "tika-mimetypes.xml"}) {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    FunctionClassLoader starting = new FunctionClassLoader("validateUpload", jar, Map.of());
    FunctionClassLoader timedOut = new FunctionClassLoader("createUpload", jar, Map.of());
    try (InputStream reading = starting.getResource("tika-mimetypes.xml").openStream()) {
      assertThat(reading.read()).isEqualTo('<');
      try (InputStream other = timedOut.getResourceAsStream("spring.factories")) {
        assertThat(other.readAllBytes()).hasSize(text.length());
      }

      timedOut.close();

      assertThat(new String(reading.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text.substring(1));
    } finally {
      starting.close();
    }
  }
}
