package videopipe.functions.storage;

/**
 * Bounded reads of one stored object. The probe walks containers through this seam so that it can
 * never read more than it asks for: every read names its offset and length, there is no
 * "read to the end".
 */
public interface ByteSource {

  /** The object's size in bytes, as HEAD reported it. */
  long size();

  /**
   * Reads the bytes {@code [offset, offset + length)}, clipped to the object's end. Returns fewer
   * bytes than asked only at the end of the object; an offset at or past the end gives an empty
   * array.
   */
  byte[] read(long offset, int length);
}
