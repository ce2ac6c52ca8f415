package videopipe.functions.publish;

/** One rung of the ABR ladder as transcoded: its playlist and its shape. */
public record Rendition(String name, int width, int height, long bitrate, String playlistKey) {}
