package videopipe.localstack.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One Lambda container's class loader: the functions jar and nothing else, over the JDK's platform
 * class loader (never the local stack's own classpath, as on Lambda, where the jar is all there is
 * beside the runtime). Each function gets its own, so each has its own Spring, its own SDK clients
 * and its own static state.
 *
 * <p>It is also how a function gets ITS environment in a JVM where {@code System.getenv()} is one
 * map for all: the jar's {@code application.properties}, the first place Spring Boot looks, is
 * served by this loader with the function's variables added to the jar's own keys. The functions
 * read their settings through Spring's {@code Environment} ({@code Settings} in the functions jar),
 * which sees them there. On Lambda the same names come from real environment variables.
 */
final class FunctionClassLoader extends URLClassLoader {

  static final String APPLICATION_PROPERTIES = "application.properties";

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final URL applicationProperties;

  FunctionClassLoader(String function, Path jar, Map<String, String> environment) {
    super("lambda:" + function, new URL[] {url(jar)}, ClassLoader.getPlatformClassLoader());
    byte[] merged = merge(super.findResource(APPLICATION_PROPERTIES), environment);
    try {
      this.applicationProperties = new URL("videopipe-lambda", function, -1, "/" + APPLICATION_PROPERTIES,
          new BytesHandler(merged));
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public URL findResource(String name) {
    return APPLICATION_PROPERTIES.equals(strip(name)) ? applicationProperties : super.findResource(name);
  }

  @Override
  public Enumeration<URL> findResources(String name) throws IOException {
    return APPLICATION_PROPERTIES.equals(strip(name))
        ? Collections.enumeration(java.util.List.of(applicationProperties))
        : super.findResources(name);
  }

  /**
   * {@code ClassLoader}'s own way ({@code getResource(name).openStream()}), not
   * {@code URLClassLoader}'s: that one records the {@code JarFile} behind the stream so that
   * {@link #close} closes it, but a {@code jar:} URL's {@code JarFile} is cached JVM-wide and shared
   * by every container's loader over the same jar. Closing a container (a timeout, a redeploy)
   * then broke the streams another container was reading, e.g. while it started ("Stream closed"
   * in Tika's {@code MimeTypes}). The loader's own jar, the one it loads classes from, is still
   * closed by {@link #close}.
   */
  @Override
  public InputStream getResourceAsStream(String name) {
    URL url = getResource(name);
    if (url == null) {
      return null;
    }
    try {
      return url.openStream();
    } catch (IOException e) {
      return null;
    }
  }

  private static String strip(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /**
   * The jar's own properties, then the function's variables (which win, as environment variables
   * win over application.properties on Lambda), as properties text.
   */
  static byte[] merge(URL jarProperties, Map<String, String> environment) {
    Properties merged = new Properties();
    if (jarProperties != null) {
      try (InputStream in = jarProperties.openStream()) {
        merged.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the jar's " + APPLICATION_PROPERTIES, e);
      }
    }
    new TreeMap<>(environment).forEach(merged::setProperty);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      merged.store(out, "served by the local Lambda runtime: the jar's application.properties and this function's environment");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar.toString(), e);
    }
  }

  /** Serves fixed bytes for the one URL this loader makes up. */
  private static final class BytesHandler extends URLStreamHandler {
    private final byte[] bytes;

    BytesHandler(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected URLConnection openConnection(URL u) {
      return new URLConnection(u) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
          return bytes.length;
        }

        @Override
        public long getLastModified() {
          return 0;
        }
      };
    }
  }
}
