package videopipe.functions.catalog;

import java.util.Objects;

/**
 * Which stored object an event speaks of. S3 gives every write a new sequencer and etag, so two
 * events with the same pair are the same write delivered twice, while a different pair is another
 * write to the same key.
 */
public record ObjectIdentity(String key, String etag, String sequencer, long bytes) {

  public ObjectIdentity {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(sequencer, "sequencer");
  }

  public boolean sameWriteAs(String otherEtag, String otherSequencer) {
    return etag.equals(otherEtag) && sequencer.equals(otherSequencer);
  }
}
