package videopipe.functions.metadata;

/** The container formats the pipeline accepts. */
public enum Container {
  /** ISO base media file format: MP4, M4V (brand isom/mp41/mp42/avc1/…). */
  MP4,
  /** QuickTime (brand "qt  "): the same box structure as MP4. */
  MOV,
  MATROSKA,
  WEBM,
  AVI,
  MPEG_TS
}
