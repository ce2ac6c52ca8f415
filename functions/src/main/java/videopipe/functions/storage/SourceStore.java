package videopipe.functions.storage;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import videopipe.functions.AwsErrors;

/** The uploaded sources in S3, as the pipeline reads them: HEAD, then bounded ranges. */
public final class SourceStore {

  private final S3Client s3;

  public SourceStore(S3Client s3) {
    this.s3 = s3;
  }

  /** HEAD of the object; empty when it does not exist (deleted since the event, or never written). */
  public Optional<ObjectHead> head(String bucket, String key) {
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(new ObjectHead(bucket, key, r.contentLength(), r.contentType(), r.eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw AwsErrors.classify("HEAD s3://" + bucket + "/" + key, e);
    } catch (SdkException e) {
      throw AwsErrors.classify("HEAD s3://" + bucket + "/" + key, e);
    }
  }

  public S3ByteSource open(ObjectHead head) {
    return new S3ByteSource(s3, head);
  }
}
