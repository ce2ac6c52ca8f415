package videopipe.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * What a local stack started, to stop it all, last started first, whatever fails along the way:
 * one failure does not leave the services after it running (and their ports and child processes
 * held); every failure is reported, the first as the cause, the others suppressed.
 */
public final class Started implements AutoCloseable {

  private final String what;
  private final List<AutoCloseable> started = new ArrayList<>();

  /** {@code what} names the whole in the failure's message ("the local stack"). */
  public Started(String what) {
    this.what = what;
  }

  /** Remembers {@code service} to close, and returns it. */
  public synchronized <T extends AutoCloseable> T keep(T service) {
    started.add(service);
    return service;
  }

  /** Closes everything kept, last first; then throws if anything failed to close. */
  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("stopping " + what, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    started.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
