package videopipe.functions.storage;

/** What HEAD says of a stored object. */
public record ObjectHead(String bucket, String key, long size, String contentType, String etag) {}
