package videopipe.functions.transcode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The detail of MediaConvert's {@code MediaConvert Job State Change} event as EventBridge delivers
 * it (source {@code aws.mediaconvert}); shapes as in MediaConvert's user guide, "Events with
 * COMPLETE status", "Events with ERROR status" and "Output file names and paths". Only the fields
 * used are named.
 *
 * @param status PROGRESSING, STATUS_UPDATE, INPUT_INFORMATION, COMPLETE, CANCELED, ERROR, NEW_WARNING, …
 * @param errorCode with ERROR, e.g. 1040
 * @param userMetadata the job's user metadata: here {@code videoId} and {@code executionArn}
 * @param outputGroupDetails with COMPLETE: per output group, its files
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobStateChange(
    Long timestamp,
    String accountId,
    String queue,
    String jobId,
    String status,
    Integer errorCode,
    String errorMessage,
    Map<String, String> userMetadata,
    List<OutputGroupDetail> outputGroupDetails) {

  public static final String DETAIL_TYPE = "MediaConvert Job State Change";
  public static final String SOURCE = "aws.mediaconvert";

  /**
   * @param type HLS_GROUP, FILE_GROUP, …
   * @param playlistFilePaths HLS: the multivariant playlist
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OutputGroupDetail(String type, List<String> playlistFilePaths, List<OutputDetail> outputDetails) {}

  /**
   * @param outputFilePaths HLS: the variant playlist; file group: the file, or the LAST captured image
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OutputDetail(List<String> outputFilePaths, Long durationInMs, VideoDetails videoDetails) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VideoDetails(Integer widthInPx, Integer heightInPx, Long averageBitrate) {}
}
