package videopipe.functions.validate;

/**
 * Why an upload was refused. Each is the creator's to fix (a different file, a fresh upload), never
 * an operator's: a rejected execution succeeds and is not redriven.
 */
public enum RejectReason {
  /** The event that started the execution is not an S3 Object Created event we can read. */
  MALFORMED_EVENT,
  /** The object is not at {@code uploads/{ownerId}/{videoId}/source}. */
  KEY_OUTSIDE_UPLOADS,
  /** No upload was created for this videoId. */
  UNKNOWN_VIDEO,
  /** The key's owner is not the owner of the video. */
  OWNER_MISMATCH,
  /** The object was gone when we looked. */
  SOURCE_MISSING,
  EMPTY_FILE,
  TOO_LARGE,
  /** The bytes uploaded are not as many as the creator declared. */
  SIZE_MISMATCH,
  /** Not a video at all (an image, a document, an archive, unknown bytes). */
  NOT_A_VIDEO,
  /** A program disguised as a video. */
  EXECUTABLE,
  /** A video container this platform does not take (or that this stack disallows). */
  UNSUPPORTED_CONTAINER,
  /** The file ends before its own structure does. */
  TRUNCATED,
  /** The container's structure is inconsistent or unreadable. */
  CORRUPT,
  /** There is no video track. */
  NO_VIDEO_STREAM,
  /** Longer than the stack allows. */
  TOO_LONG,
  /** A well-formed file using a format or codec the pipeline does not read (named in the detail). */
  UNSUPPORTED_FORMAT,
  /** The file's structure needs more reads than the probe allows itself (e.g. absurd nesting). */
  TOO_COMPLEX
}
