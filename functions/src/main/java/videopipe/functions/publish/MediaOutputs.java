package videopipe.functions.publish;

import java.util.List;

/** Where the transcode put things, as keys in the media bucket. */
public record MediaOutputs(String bucket, String playlistKey, String mp4Key, String thumbnailKey,
    List<Rendition> renditions) {}
