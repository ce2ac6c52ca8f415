package videopipe.functions.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import videopipe.functions.AwsErrors;

/**
 * The upload API's S3 side: presigned requests the creator's client sends straight to S3, and
 * the multipart calls the functions make themselves. Every presigned request signs what it must
 * not change: the key (and for a part, the upload id and part number), the content type and the
 * length; a single PUT also signs {@code If-None-Match: *}, so its URL can create the object once
 * and never overwrite it.
 */
final class UploadStorage {

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final Duration uploadTtl;
  private final Duration downloadTtl;

  UploadStorage(S3Client s3, S3Presigner presigner, String bucket, Duration uploadTtl, Duration downloadTtl) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.uploadTtl = uploadTtl;
    this.downloadTtl = downloadTtl;
  }

  Duration uploadTtl() {
    return uploadTtl;
  }

  Duration downloadTtl() {
    return downloadTtl;
  }

  /**
   * A single-use PUT of {@code key}. {@code length} null signs no length: only for caption files
   * declared without a size, whose reader ({@code attachCaptions}) enforces the cap with a bounded
   * read instead; a video's PUT always binds its declared length.
   */
  SignedRequest presignPut(String key, String contentType, Long length) {
    return signed(presigner.presignPutObject(p -> p.signatureDuration(uploadTtl)
        .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(length)
            .ifNoneMatch("*"))));
  }

  SignedRequest presignPart(String key, String uploadId, int partNumber, long length) {
    return signed(presigner.presignUploadPart(p -> p.signatureDuration(uploadTtl)
        .uploadPartRequest(o -> o.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
            .contentLength(length))));
  }

  String presignGet(String mediaBucket, String key) {
    return presigner.presignGetObject(p -> p.signatureDuration(downloadTtl)
        .getObjectRequest(o -> o.bucket(mediaBucket).key(key))).url().toString();
  }

  String createMultipart(String key, String contentType) {
    try {
      return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    } catch (SdkException e) {
      throw AwsErrors.classify("creating a multipart upload for " + key, e);
    }
  }

  /** The outcome of CompleteMultipartUpload: the object's etag, or S3's refusal code. */
  sealed interface Completion {
    record Completed(String etag) implements Completion {}

    record Refused(String code, String message) implements Completion {}
  }

  Completion complete(String key, String uploadId, List<CompletedPart> parts) {
    try {
      String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts))).eTag();
      return new Completion.Completed(etag);
    } catch (S3Exception e) {
      if (e.statusCode() < 500 && e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
        return new Completion.Refused(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
      }
      throw AwsErrors.classify("completing the multipart upload of " + key, e);
    } catch (SdkException e) {
      throw AwsErrors.classify("completing the multipart upload of " + key, e);
    }
  }

  /** Aborts a multipart upload; one that no longer exists (completed, aborted, expired) is fine. */
  void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw AwsErrors.classify("aborting the multipart upload of " + key, e);
      }
    } catch (SdkException e) {
      throw AwsErrors.classify("aborting the multipart upload of " + key, e);
    }
  }

  boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw AwsErrors.classify("looking for " + key, e);
    } catch (SdkException e) {
      throw AwsErrors.classify("looking for " + key, e);
    }
  }

  /**
   * A presigned request as the client must send it: the headers it has to send (those signed,
   * but Host, which any HTTP client sets; and Content-Length, which the client must still send
   * with exactly the declared value, stays in the list so that it knows).
   */
  private static SignedRequest signed(PresignedRequest presigned) {
    Map<String, String> headers = new LinkedHashMap<>();
    presigned.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name, String.join(",", values));
      }
    });
    return new SignedRequest(presigned.httpRequest().method().name(), presigned.url().toString(), headers,
        presigned.expiration().toString());
  }
}
