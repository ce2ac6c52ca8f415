package videopipe.functions.captions;

/** The sidecar formats accepted, by file extension. */
public enum CaptionFormat {
  VTT,
  SRT
}
