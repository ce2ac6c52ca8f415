package videopipe.cli.commands;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.s3.model.S3Object;
import videopipe.cli.local.LocalStack;

/**
 * Stands in for S3's EventBridge notification while the local S3 does not emit {@code Object
 * Created} itself: watches the bucket for new {@code uploads/.../source} objects and puts their
 * event on the bus, as {@code videopipe demo} does after its own PUT. Once the stack's S3 emits
 * the event (the upload rule starts an execution for the key within a few seconds), it stays out
 * of the way, so no object is announced twice. To be deleted when the local S3 emits events.
 */
final class S3NotificationStandIn implements AutoCloseable {

  private final LocalStack stack;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Thread watcher;
  private volatile boolean running = true;

  S3NotificationStandIn(LocalStack stack) {
    this.stack = stack;
    stack.s3Client().listObjectsV2Paginator(b -> b.bucket(stack.bucket()).prefix("uploads/")).contents()
        .forEach(o -> seen.add(o.key()));
    this.watcher = new Thread(this::watch, "s3-notification-stand-in");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watch() {
    while (running) {
      try {
        for (S3Object o : stack.s3Client().listObjectsV2Paginator(b -> b.bucket(stack.bucket()).prefix("uploads/"))
            .contents()) {
          if (o.key().endsWith("/source") && seen.add(o.key())) {
            announce(o);
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          System.err.println("S3 notification stand-in: " + e);
        }
      }
    }
  }

  private void announce(S3Object o) throws InterruptedException {
    try {
      stack.executionFor(o.key()).get(3, TimeUnit.SECONDS);
      return; // the stack's own S3 announced it
    } catch (TimeoutException e) {
      stack.emitObjectCreated(stack.bucket(), o.key(), o.size(), o.eTag().replace("\"", ""));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    watcher.interrupt();
    watcher.join(10_000);
  }
}
