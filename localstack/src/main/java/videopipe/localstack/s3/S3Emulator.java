package videopipe.localstack.s3;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import videopipe.localstack.eventbridge.EventBridgeEmulator;

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
 * <p>Writes emit S3's EventBridge events, as on AWS: every successful PutObject,
 * CompleteMultipartUpload and CopyObject an {@code Object Created}, every DeleteObject an {@code
 * Object Deleted}, for the buckets whose EventBridge notifications are on (off by default; turned
 * on with {@code PutBucketNotificationConfiguration} and {@code <EventBridgeConfiguration/>}, which
 * this emulator serves in front of S3Proxy), to the sink given to {@link #sendEventsTo}. See
 * {@link NotifyingBlobStore} and {@link NotificationConfigurationFilter}.
 *
 * <p>Clients must use path-style addressing ({@code forcePathStyle(true)}, or an IP endpoint,
 * which the SDK addresses path-style by itself): there is no wildcard DNS for virtual hosts here.
 */
public final class S3Emulator implements AutoCloseable {

  /** S3Proxy accepts any region in the signature; this is the one we tell clients to use. */
  public static final String REGION = "us-east-1";
  /** The account named as the events' {@code requester} until {@link #sendEventsTo} names another. */
  public static final String ACCOUNT = "000000000000";
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
  private final NotifyingBlobStore blobStore;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private S3Emulator(S3Proxy proxy, NotifyingBlobStore blobStore, String accessKey, String secretKey) {
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
    NotifyingBlobStore store = new NotifyingBlobStore(blobStore(options.dataDir()),
        options.dataDir() == null ? EventBridgeBuckets.inMemory() : EventBridgeBuckets.onDisk(options.dataDir()));
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
      ServletContextHandler context = servletContext(proxy);
      context.addFilter(new RequestBodyDrainFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new NotificationConfigurationFilter(store, store.buckets(), accessKey, secretKey),
          "/*", EnumSet.of(DispatcherType.REQUEST));
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

  /**
   * S3Proxy's servlet context, to put our filter in front of its servlet. S3Proxy has no public way
   * to add one: its Jetty server is a private field (S3Proxy 4.1.0; S3EventsTest fails if an
   * upgrade moves it).
   */
  private static ServletContextHandler servletContext(S3Proxy proxy) throws ReflectiveOperationException {
    Field field = S3Proxy.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    ServletContextHandler context = server.getDescendant(ServletContextHandler.class);
    if (context == null) {
      throw new IllegalStateException("S3Proxy's Jetty server has no servlet context");
    }
    return context;
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

  /**
   * Sends S3's events from now on to {@code eventBridge}'s default bus, as S3 does, named as
   * requested by that bus's account. Delivery runs on a background thread: it never fails or slows
   * an S3 request, and a failure is logged.
   */
  public void sendEventsTo(EventBridgeEmulator eventBridge) {
    String account = eventBridge.busArn("default").split(":")[4];
    blobStore.sendTo(e -> eventBridge.putEvent("default", S3Event.SOURCE, e.detailType(), e.resources(), e.detail()),
        account);
  }

  /** Sends S3's events from now on to {@code sink} (on a background thread; its failures are logged). */
  public void sendEventsTo(Consumer<S3Event> sink) {
    blobStore.sendTo(Objects.requireNonNull(sink, "sink"), ACCOUNT);
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
