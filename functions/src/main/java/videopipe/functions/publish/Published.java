package videopipe.functions.publish;

/** The video is READY; the {@code Video Ready} event went out. */
public record Published(String videoId, String status) {}
