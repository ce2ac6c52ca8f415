package videopipe.functions.storage;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import videopipe.functions.AwsErrors;

/**
 * One S3 object read through bounded ranged GETs ({@code Range: bytes=a-b}, both ends given, so
 * the server can never send more than asked), pinned to the etag HEAD saw ({@code If-Match}) so
 * that a concurrent overwrite fails the read instead of mixing two files. Counts requests and
 * bytes, which the probe benchmark reports.
 */
public final class S3ByteSource implements ByteSource {

  private final S3Client s3;
  private final ObjectHead head;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bytesRead = new AtomicLong();

  public S3ByteSource(S3Client s3, ObjectHead head) {
    this.s3 = s3;
    this.head = head;
  }

  @Override
  public long size() {
    return head.size();
  }

  @Override
  public byte[] read(long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
    }
    if (offset >= head.size() || length == 0) {
      return new byte[0];
    }
    long last = Math.min(head.size(), offset + length) - 1;
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> {
        b.bucket(head.bucket()).key(head.key()).range("bytes=" + offset + "-" + last);
        if (head.etag() != null) {
          b.ifMatch(head.etag());
        }
      });
      byte[] data = bytes.asByteArrayUnsafe();
      requests.incrementAndGet();
      bytesRead.addAndGet(data.length);
      if (data.length > last - offset + 1) {
        throw new IllegalStateException("S3 sent " + data.length + " bytes for a range of " + (last - offset + 1));
      }
      return data;
    } catch (SdkException e) {
      throw AwsErrors.classify("reading bytes " + offset + "-" + last + " of s3://" + head.bucket() + "/" + head.key(), e);
    }
  }

  public int requests() {
    return requests.get();
  }

  public long bytesRead() {
    return bytesRead.get();
  }
}
