package videopipe.functions.transcode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import videopipe.functions.metadata.VideoMetadata;

/**
 * What the {@code SubmitTranscode} state passes ({@code .waitForTaskToken}): the extracted upload
 * (as {@code extractMetadata} returned it), the execution, and the task token
 * ({@code $states.context.Task.Token}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TranscodeRequest(String videoId, String executionArn, String bucket, String key,
    VideoMetadata metadata, String taskToken) {}
