package videopipe.localstack.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3 on loopback: S3Proxy embedded, with authentication on, so that what passes here (SigV4
 * headers, presigned URLs with their expiry, signed content type and length, {@code If-None-Match})
 * also passes on AWS.
 *
 * <p>S3Proxy 4.x no longer uses jclouds: its "transient" store is {@link TransientNio2BlobStore}
 * (an in-memory file system, jimfs) and its "filesystem" store is {@link FilesystemNio2BlobStore}
 * (one folder per bucket, metadata in extended attributes). We build them directly rather than
 * through {@code BlobStores.create("transient", properties)}: typed, and no property names to get
 * wrong.
 *
 * <p>Clients must use path-style addressing ({@code forcePathStyle(true)}, or an IP endpoint,
 * which the SDK addresses path-style by itself): there is no wildcard DNS for virtual hosts here.
 */
public final class S3Emulator implements AutoCloseable {

  /** S3Proxy accepts any region in the signature; this is the one we tell clients to use. */
  public static final String REGION = "us-east-1";
  private static final String HOST = "127.0.0.1";

  /**
   * How to start the emulator.
   *
   * @param port the loopback port, or 0 for an ephemeral one ({@link #endpoint()} tells which)
   * @param dataDir where buckets are kept across restarts, or null to keep them in memory
   * @param accessKey the access key clients must sign with, or null to generate one
   * @param secretKey its secret, or null to generate one
   */
  public record Options(int port, Path dataDir, String accessKey, String secretKey) {

    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (ephemeral) or 1-65535, was " + port);
      }
      if ((accessKey == null) != (secretKey == null)) {
        throw new IllegalArgumentException("give both the access key and the secret key, or neither");
      }
    }

    /** In memory, on an ephemeral port, with generated credentials. */
    public static Options inMemory() {
      return new Options(0, null, null, null);
    }

    /** Buckets kept under {@code dataDir} (created if missing), so that they survive a restart. */
    public static Options onDisk(Path dataDir) {
      return new Options(0, Objects.requireNonNull(dataDir, "dataDir"), null, null);
    }

    public Options withPort(int port) {
      return new Options(port, dataDir, accessKey, secretKey);
    }

    public Options withCredentials(String accessKey, String secretKey) {
      return new Options(port, dataDir, Objects.requireNonNull(accessKey, "accessKey"),
          Objects.requireNonNull(secretKey, "secretKey"));
    }

    /** Never prints the secret: options end up in logs and assertion messages. */
    @Override
    public String toString() {
      return "S3Emulator.Options[port=" + port + ", dataDir=" + dataDir + ", accessKey=" + accessKey
          + ", secretKey=" + (secretKey == null ? null : "****") + "]";
    }
  }

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private S3Emulator(S3Proxy proxy, BlobStore blobStore, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.endpoint = URI.create("http://" + HOST + ":" + proxy.getPort());
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts S3Proxy and returns once it accepts connections. */
  public static S3Emulator start(Options options) {
    String accessKey = options.accessKey() != null ? options.accessKey() : "LOCAL" + randomHex(8).toUpperCase();
    String secretKey = options.secretKey() != null ? options.secretKey() : randomHex(20);
    BlobStore store = blobStore(options.dataDir());
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://" + HOST + ":" + options.port()))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        // No graceful phase: Jetty would wait (30 s by default) for idle keep-alive connections
        // that clients such as the JDK's HttpClient never close, then fail stop() with a
        // TimeoutException. An emulator being closed has no request worth finishing.
        .stopTimeout(0)
        .build();
    try {
      proxy.start();
    } catch (Exception e) {
      try {
        proxy.stop(); // Jetty's threads are already running when binding fails
      } catch (Exception stopFailure) {
        e.addSuppressed(stopFailure);
      }
      store.close();
      throw new IllegalStateException("S3Proxy did not start on " + HOST + ":" + options.port(), e);
    }
    return new S3Emulator(proxy, store, accessKey, secretKey);
  }

  private static BlobStore blobStore(Path dataDir) {
    if (dataDir == null) {
      return new TransientNio2BlobStore();
    }
    try {
      // FilesystemNio2BlobStore refuses a missing root; it wants it absolute to build bucket paths.
      Path root = Files.createDirectories(dataDir.toAbsolutePath().normalize());
      return new FilesystemNio2BlobStore(root.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the S3 data directory " + dataDir, e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** {@code http://127.0.0.1:<port>}, with the port actually bound. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String region() {
    return REGION;
  }

  /** Stops the server; buckets of an on-disk emulator stay on disk. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop cleanly", e);
    } finally {
      blobStore.close();
    }
  }

  @Override
  public String toString() {
    return "S3Emulator[" + endpoint + "]";
  }
}
