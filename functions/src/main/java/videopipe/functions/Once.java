package videopipe.functions;

import java.util.function.Supplier;

/**
 * A value built on its first use, then shared: AWS clients, the wiring of a function, an API
 * route. A Lambda container builds only what the function it runs touches, which keeps the cold
 * start down; thread-safe, since a container may serve the local stack's concurrent invocations.
 */
public final class Once<T> implements Supplier<T> {

  private final Supplier<T> factory;
  private volatile T value;

  private Once(Supplier<T> factory) {
    this.factory = factory;
  }

  public static <T> Once<T> of(Supplier<T> factory) {
    return new Once<>(factory);
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = factory.get();
          value = v;
        }
      }
    }
    return v;
  }
}
