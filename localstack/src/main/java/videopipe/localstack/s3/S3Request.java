package videopipe.localstack.s3;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP request S3Proxy is serving on this thread, as far as an event needs it: which S3
 * operation on which object, the client's address and the {@code x-amz-request-id} S3Proxy answers
 * with. S3Proxy calls the store on the request's own thread, so {@link NotifyingBlobStore} finds it
 * here; and since S3Proxy implements multipart uploads with store writes of its own (a stub object
 * per upload, removed on completion or abort), the store emits only for the write that IS the
 * request's operation on the request's object.
 */
record S3Request(Operation operation, String bucket, String key, String sourceIp, HttpServletResponse response) {

  /** The operations that emit events; anything else is {@code OTHER}. */
  enum Operation { PUT_OBJECT, COPY_OBJECT, COMPLETE_MULTIPART_UPLOAD, DELETE_OBJECT, OTHER }

  private static final ThreadLocal<S3Request> CURRENT = new ThreadLocal<>();

  static S3Request of(HttpServletRequest request, HttpServletResponse response) {
    String[] path = request.getRequestURI().replaceFirst("^/", "").split("/", 2);
    String bucket = decodePath(path[0]);
    String key = path.length == 2 && !path[1].isEmpty() ? decodePath(path[1]) : null;
    String query = request.getQueryString() == null ? "" : "&" + request.getQueryString() + "&";
    boolean uploadId = query.contains("&uploadId=");
    boolean partNumber = query.contains("&partNumber=");
    Operation operation = Operation.OTHER;
    if (key != null) {
      switch (request.getMethod()) {
        case "PUT" -> {
          if (!uploadId && !partNumber && hasOnlySignatureParameters(query)) {
            operation = request.getHeader("x-amz-copy-source") != null ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
          }
        }
        case "POST" -> {
          if (uploadId) {
            operation = Operation.COMPLETE_MULTIPART_UPLOAD;
          }
        }
        case "DELETE" -> {
          if (!uploadId) {
            operation = Operation.DELETE_OBJECT;
          }
        }
        default -> { }
      }
    }
    return new S3Request(operation, bucket, key, request.getRemoteAddr(), response);
  }

  /** A presigned PUT carries its signature in the query: still a PutObject. */
  private static boolean hasOnlySignatureParameters(String query) {
    for (String param : query.split("&")) {
      if (!param.isEmpty() && !param.startsWith("X-Amz-") && !param.startsWith("x-id=")) {
        return false;
      }
    }
    return true;
  }

  /** Percent-decoding of a URI path: a {@code +} in a path is a plus, not a space. */
  private static String decodePath(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static S3Request current() {
    return CURRENT.get();
  }

  static void enter(S3Request request) {
    CURRENT.set(request);
  }

  static void leave() {
    CURRENT.remove();
  }

  /** True when {@code bucket}/{@code key} is what this request's {@code operation} writes. */
  boolean is(Operation operation, String bucket, String key) {
    return this.operation == operation && this.bucket.equals(bucket) && key.equals(this.key);
  }

  /** Read when the event is built: S3Proxy sets the header once it starts handling the request. */
  String requestId() {
    return response.getHeader("x-amz-request-id");
  }
}
