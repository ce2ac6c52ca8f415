package videopipe.localstack.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Reads what is left of a request body S3Proxy accepted without reading to its end, so the
 * connection stays open, as on S3.
 *
 * <p>S3Proxy answers an {@code aws-chunked} upload (what the SDK sends over plain HTTP) as soon as
 * it has the decoded bytes, before the final zero-length chunk and its signature have arrived.
 * Jetty then closes the connection with those bytes unread, and a client still writing them (the
 * SDK's URLConnection client writes the last chunk in small pieces) is reset, takes its stored PUT
 * for a failure and sends it again: a second write, a second {@code Object Created} event, and a
 * conditional PUT refused by its own first write (aws-sdk-java-v2#6670 looks like this). Waiting
 * here for those few bytes, and only after a success, keeps the answer and the connection.
 *
 * <p>A refusal is left as it is: its client may be waiting for {@code 100 Continue} and will send
 * nothing more, and nobody should wait for an unauthenticated body.
 */
final class RequestBodyDrainFilter implements Filter {

  /** More than the final chunk, its signature and a trailer need; a larger rest is not waited for. */
  static final int MAX_REST_BYTES = 64 * 1024;

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(request, response);
    HttpServletRequest http = (HttpServletRequest) request;
    int status = ((HttpServletResponse) response).getStatus();
    if (status < 200 || status >= 300 || http.getContentLengthLong() <= 0) {
      return;
    }
    ServletInputStream in;
    try {
      in = http.getInputStream();
    } catch (IllegalStateException readAsText) {
      return; // the body was read through a Reader, to its end
    }
    byte[] buffer = new byte[8192];
    long left = MAX_REST_BYTES;
    try {
      while (left > 0 && !in.isFinished()) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException clientGone) {
      // The answer is sent; a client that went away has nothing more to tell.
    }
  }
}
