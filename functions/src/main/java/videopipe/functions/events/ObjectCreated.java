package videopipe.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The detail of S3's {@code Object Created} event as EventBridge delivers it (source {@code
 * aws.s3}); field names as in the S3 user guide, "EventBridge event message structure". Unknown
 * fields are ignored: AWS adds fields without notice.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectCreated(
    String version,
    Bucket bucket,
    @JsonProperty("object") S3Object object,
    @JsonProperty("request-id") String requestId,
    String requester,
    @JsonProperty("source-ip-address") String sourceIpAddress,
    String reason) {

  public static final String DETAIL_TYPE = "Object Created";
  public static final String SOURCE = "aws.s3";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Bucket(String name) {}

  /**
   * The object. {@code key} is URL-encoded the way S3 encodes keys in all its event notifications
   * (form encoding: a space arrives as {@code +}, a literal {@code +} as {@code %2B}, non-ASCII as
   * UTF-8 percent escapes); see {@link SourceKey#decode}.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3Object(
      String key,
      Long size,
      String etag,
      @JsonProperty("version-id") String versionId,
      String sequencer) {}
}
