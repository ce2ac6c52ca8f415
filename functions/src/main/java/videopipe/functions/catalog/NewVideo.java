package videopipe.functions.catalog;

/** What {@code createUpload} knows when it allocates a video: who, and what they said they'd send. */
public record NewVideo(String videoId, String ownerId, String fileName, String contentType, long declaredBytes) {}
