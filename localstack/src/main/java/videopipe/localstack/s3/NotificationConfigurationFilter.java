package videopipe.localstack.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gaul.s3proxy.auth.AwsSignature;
import org.gaul.s3proxy.auth.S3AuthorizationHeader;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * In front of S3Proxy, for every request: records the client's address for the events (see
 * {@link S3Request}); and serves {@code PutBucketNotificationConfiguration} and {@code
 * GetBucketNotificationConfiguration} ({@code PUT|GET /<bucket>?notification}), which S3Proxy
 * answers {@code NotImplemented}. Only the EventBridge destination exists here:
 * {@code <EventBridgeConfiguration/>} turns the bucket's events on, an empty configuration turns
 * them off, and a topic, queue or Lambda destination is refused as {@code NotImplemented}.
 *
 * <p>These two requests are authenticated as S3Proxy authenticates the others (header SigV4 with
 * the emulator's keys, S3Proxy's own canonical-request code, the payload hash checked, 15 minutes
 * of clock skew at most), so that a client that passes here passes on AWS.
 */
final class NotificationConfigurationFilter implements Filter {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  /** The S3 errors these two operations answer, with their HTTP statuses. */
  enum ErrorCode {
    AccessDenied(403), InvalidAccessKeyId(403), SignatureDoesNotMatch(403), RequestTimeTooSkewed(403),
    XAmzContentSHA256Mismatch(400), MalformedXML(400), MaxMessageLengthExceeded(400), NoSuchBucket(404),
    NotImplemented(501);

    final int status;

    ErrorCode(int status) {
      this.status = status;
    }
  }

  static final class S3Error extends Exception {
    final ErrorCode code;

    S3Error(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final BlobStore store;
  private final EventBridgeBuckets buckets;
  private final String accessKey;
  private final String secretKey;

  NotificationConfigurationFilter(BlobStore store, EventBridgeBuckets buckets, String accessKey, String secretKey) {
    this.store = store;
    this.buckets = buckets;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String bucket = notificationBucket(request);
    if (bucket != null) {
      serve(request, response, bucket);
      return;
    }
    S3Request.enter(S3Request.of(request, response));
    try {
      chain.doFilter(req, res);
    } finally {
      S3Request.leave();
    }
  }

  /** The bucket of a {@code GET|PUT /<bucket>?notification}, else null (S3Proxy's business). */
  private static String notificationBucket(HttpServletRequest request) {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("PUT")) {
      return null;
    }
    String query = request.getQueryString();
    if (query == null) {
      return null;
    }
    boolean notification = false;
    for (String param : query.split("&")) {
      if (param.equals("notification") || param.startsWith("notification=")) {
        notification = true;
      }
    }
    if (!notification) {
      return null;
    }
    String path = request.getRequestURI();
    String[] parts = path.replaceFirst("^/", "").replaceFirst("/$", "").split("/", -1);
    return parts.length == 1 && !parts[0].isEmpty() ? URLDecoder.decode(parts[0], StandardCharsets.UTF_8) : null;
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, String bucket) throws IOException {
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    response.setHeader("x-amz-request-id", requestId);
    try {
      byte[] body = readBody(request);
      authenticate(request, body);
      if (!store.containerExists(bucket)) {
        throw new S3Error(ErrorCode.NoSuchBucket, "The specified bucket does not exist");
      }
      if (request.getMethod().equals("PUT")) {
        buckets.set(bucket, eventBridgeOn(body));
        response.setStatus(200);
        response.setContentLength(0);
      } else {
        String inner = buckets.enabled(bucket) ? "<EventBridgeConfiguration></EventBridgeConfiguration>" : "";
        write(response, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NotificationConfiguration xmlns=\"" + NS
            + "\">" + inner + "</NotificationConfiguration>");
      }
    } catch (S3Error e) {
      write(response, e.code.status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + e.code.name()
          + "</Code><Message>" + escape(e.getMessage()) + "</Message><BucketName>" + escape(bucket)
          + "</BucketName><RequestId>" + requestId + "</RequestId></Error>");
    }
  }

  private static byte[] readBody(HttpServletRequest request) throws IOException, S3Error {
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new S3Error(ErrorCode.MaxMessageLengthExceeded, "Your request was too big.");
      }
      return body;
    }
  }

  private void authenticate(HttpServletRequest request, byte[] body) throws S3Error {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      throw new S3Error(ErrorCode.AccessDenied,
          "the local S3 serves the bucket notification configuration to header-signed SigV4 requests only");
    }
    S3AuthorizationHeader header;
    try {
      header = new S3AuthorizationHeader(authorization);
    } catch (RuntimeException e) {
      throw new S3Error(ErrorCode.AccessDenied, "malformed Authorization header");
    }
    if (!accessKey.equals(header.getIdentity())) {
      throw new S3Error(ErrorCode.InvalidAccessKeyId,
          "The AWS Access Key Id you provided does not exist in our records.");
    }
    String date = request.getHeader("x-amz-date");
    try {
      Instant signedAt = AMZ_DATE.parse(date, Instant::from);
      if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
        throw new S3Error(ErrorCode.RequestTimeTooSkewed,
            "The difference between the request time and the current time is too large.");
      }
    } catch (DateTimeParseException | NullPointerException e) {
      throw new S3Error(ErrorCode.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
    }
    String contentSha256 = request.getHeader("x-amz-content-sha256");
    if (contentSha256 == null) {
      throw new S3Error(ErrorCode.AccessDenied, "missing x-amz-content-sha256");
    }
    if (SHA256_HEX.matcher(contentSha256).matches() && !contentSha256.equals(sha256(body))) {
      throw new S3Error(ErrorCode.XAmzContentSHA256Mismatch,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (!SHA256_HEX.matcher(contentSha256).matches() && !contentSha256.equals("UNSIGNED-PAYLOAD")) {
      throw new S3Error(ErrorCode.NotImplemented, "x-amz-content-sha256 " + contentSha256
          + " is not supported for the bucket notification configuration here; sign the payload");
    }
    String expected;
    try {
      expected = AwsSignature.createAuthorizationSignatureV4(request, header, body, request.getRequestURI(),
          secretKey, false, AwsSignature.pinnedPayloadHash(request), contentSha256).signature();
    } catch (Exception e) {
      throw new S3Error(ErrorCode.SignatureDoesNotMatch, "the request's signature could not be computed: " + e);
    }
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        header.getSignature().getBytes(StandardCharsets.US_ASCII))) {
      throw new S3Error(ErrorCode.SignatureDoesNotMatch,
          "The request signature we calculated does not match the signature you provided.");
    }
  }

  /** True for {@code <EventBridgeConfiguration/>}, false for an empty configuration. */
  private static boolean eventBridgeOn(byte[] body) throws S3Error {
    Element root;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
    } catch (Exception e) {
      throw new S3Error(ErrorCode.MalformedXML,
          "The XML you provided was not well-formed or did not validate against our published schema");
    }
    if (!"NotificationConfiguration".equals(root.getLocalName())) {
      throw new S3Error(ErrorCode.MalformedXML, "expected a NotificationConfiguration, got " + root.getLocalName());
    }
    boolean eventBridge = false;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() != Node.ELEMENT_NODE) {
        continue;
      }
      switch (n.getLocalName()) {
        case "EventBridgeConfiguration" -> eventBridge = true;
        case "TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration",
            "LambdaFunctionConfiguration" -> throw new S3Error(ErrorCode.NotImplemented,
            "the local S3 sends events to EventBridge only; " + n.getLocalName() + " is not supported");
        default -> throw new S3Error(ErrorCode.MalformedXML, "unexpected element " + n.getLocalName());
      }
    }
    return eventBridge;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(HttpServletResponse response, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/xml");
    response.setContentLength(bytes.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(bytes);
    }
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
