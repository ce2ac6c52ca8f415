package videopipe.localstack.s3;

import java.util.List;

/**
 * One event S3 sends to EventBridge ({@code source aws.s3}): what a {@code PutEvents} entry holds.
 * EventBridge adds the envelope ({@code id}, {@code time}, {@code account}, {@code region}).
 *
 * @param detailType {@code Object Created} or {@code Object Deleted}
 * @param bucket the bucket written to
 * @param detail the event's {@code detail}, as JSON, in the format of the S3 user guide's
 *     "EventBridge event message structure"
 */
public record S3Event(String detailType, String bucket, String detail) {

  public static final String SOURCE = "aws.s3";
  public static final String OBJECT_CREATED = "Object Created";
  public static final String OBJECT_DELETED = "Object Deleted";

  /** {@code [arn:aws:s3:::<bucket>]}, the event's {@code resources}. */
  public List<String> resources() {
    return List.of("arn:aws:s3:::" + bucket);
  }
}
