package videopipe.functions.metadata;

/**
 * The upload cannot be described: it is truncated, corrupt, lies about its own structure, holds no
 * video, or would cost more reads than the probe allows. This is the creator's problem, not the
 * operator's: the step that calls the probe turns it into a rejection carrying {@link #code()} and
 * {@link #detail()}, never into a failed execution that someone would redrive.
 */
public final class UnreadableVideoException extends RuntimeException {

  /** What is wrong, for machines: the state machine and the catalog route and count on it. */
  public enum Code {
    /** The file ends before a structure it announces: the upload looks cut short. */
    TRUNCATED,
    /** A structure contradicts itself or the file: sizes that lie, missing mandatory parts. */
    CORRUPT,
    /** The container holds no video track. */
    NO_VIDEO_STREAM,
    /** Structures nested deeper than any real file does. */
    TOO_DEEP,
    /** Describing the file would take more reads or bytes than the probe's budget. */
    TOO_COSTLY,
    /** A well-formed file using something the probe does not read (named in the detail). */
    UNSUPPORTED
  }

  private final Code code;
  private final String detail;

  public UnreadableVideoException(Code code, String detail) {
    super(code + ": " + detail);
    this.code = code;
    this.detail = detail;
  }

  public Code code() {
    return code;
  }

  /** One sentence a creator can act on, e.g. "the file ends inside the 'moov' box: ...". */
  public String detail() {
    return detail;
  }

  static UnreadableVideoException truncated(String detail) {
    return new UnreadableVideoException(Code.TRUNCATED, detail);
  }

  static UnreadableVideoException corrupt(String detail) {
    return new UnreadableVideoException(Code.CORRUPT, detail);
  }

  static UnreadableVideoException unsupported(String detail) {
    return new UnreadableVideoException(Code.UNSUPPORTED, detail);
  }

  static UnreadableVideoException tooDeep(String detail) {
    return new UnreadableVideoException(Code.TOO_DEEP, detail);
  }

  static UnreadableVideoException noVideo(String detail) {
    return new UnreadableVideoException(Code.NO_VIDEO_STREAM, detail);
  }
}
