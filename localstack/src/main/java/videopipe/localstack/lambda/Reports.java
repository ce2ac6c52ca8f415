package videopipe.localstack.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Lambda's {@code REPORT} lines: for every invocation that reached a container, how long
 * the handler ran and, on a cold start, how long the container took to start. Logged as Lambda
 * logs them and kept (the newest {@value #KEPT}) so that a benchmark can set the functions' own
 * running time against the stack's.
 */
public final class Reports {

  private static final Logger log = LoggerFactory.getLogger(Reports.class);
  static final int KEPT = 10_000;

  /** One invocation: the function, its request id, the handler's time and the cold start's (zero when warm). */
  public record Report(String function, String requestId, Duration duration, Duration initDuration, boolean failed) {}

  private final ConcurrentLinkedDeque<Report> kept = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  void record(LocalLambda.Deployed f, String requestId, Duration duration, Duration initDuration, boolean failed) {
    Report report = new Report(f.name(), requestId, duration, initDuration, failed);
    kept.addLast(report);
    if (size.incrementAndGet() > KEPT && kept.pollFirst() != null) {
      size.decrementAndGet();
    }
    if (log.isDebugEnabled()) {
      log.debug("REPORT RequestId: {} Function: {} Duration: {} ms Memory Size: {} MB{}", requestId, f.name(),
          String.format("%.2f", duration.toNanos() / 1e6), f.memoryMb(),
          initDuration.isZero() ? "" : String.format(" Init Duration: %.2f ms", initDuration.toNanos() / 1e6));
    }
  }

  /** The kept reports, oldest first. */
  public List<Report> all() {
    return new ArrayList<>(kept);
  }

  /** Forgets every report, for a benchmark that measures from now. */
  public void clear() {
    while (kept.pollFirst() != null) {
      size.decrementAndGet();
    }
  }
}
