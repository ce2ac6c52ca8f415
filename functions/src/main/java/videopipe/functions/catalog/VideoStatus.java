package videopipe.functions.catalog;

/**
 * Where a video is in the pipeline. The order of the happy path is {@code AWAITING_UPLOAD →
 * VALIDATING → PROCESSING → READY}; {@code REJECTED} (the creator's file is unusable) and
 * {@code READY} are final; {@code FAILED} (a system failure) goes back to {@code PROCESSING} when
 * the execution is redriven.
 */
public enum VideoStatus {
  AWAITING_UPLOAD,
  VALIDATING,
  PROCESSING,
  READY,
  REJECTED,
  FAILED,
  /** The creator gave up before the upload completed ({@code DELETE /uploads/{id}}); final. */
  ABORTED;

  public boolean isFinal() {
    return this == READY || this == REJECTED || this == ABORTED;
  }
}
