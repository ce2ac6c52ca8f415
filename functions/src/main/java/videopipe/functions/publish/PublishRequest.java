package videopipe.functions.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What the {@code Publish} state passes: the video, the execution, and what the branches produced. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishRequest(String videoId, String executionArn, MediaOutputs outputs, List<CaptionTrack> captions) {}
