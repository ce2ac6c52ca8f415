package videopipe.functions.publish;

/** A WebVTT caption track beside the renditions: language (BCP-47), label, key. */
public record CaptionTrack(String lang, String label, String key) {}
