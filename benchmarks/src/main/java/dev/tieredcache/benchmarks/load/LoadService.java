package dev.tieredcache.benchmarks.load;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upstream of the load run: {@link #item} is the cached method (benchmarks/load-rules.yaml). It sleeps the
 * configured latency, and the run switches it to failing or slow for a fault phase. Counts every call, and per key
 * the calls made while it fails (the error-backoff check).
 */
public final class LoadService {

  /** What the upstream does now. */
  enum Mode { NORMAL, FAILING, SLOW }

  private final long latencyMillis;
  private final long slowMillis;
  private volatile Mode mode = Mode.NORMAL;
  private final LongAdder calls = new LongAdder();
  private final AtomicIntegerArray callsWhileFailing;

  LoadService(int keys, long latencyMillis, long slowMillis) {
    this.latencyMillis = latencyMillis;
    this.slowMillis = slowMillis;
    this.callsWhileFailing = new AtomicIntegerArray(keys);
  }

  /** The cached method: the item of {@code id}, as the upstream has it now. */
  public String item(long id) throws InterruptedException {
    calls.increment();
    Mode now = mode;
    if (now == Mode.FAILING) {
      callsWhileFailing.incrementAndGet((int) id);
      Thread.sleep(1);
      throw new IllegalStateException("upstream down (load run's failing phase)");
    }
    Thread.sleep(now == Mode.SLOW ? slowMillis : latencyMillis);
    return "item-" + id;
  }

  void mode(Mode next) {
    mode = next;
  }

  long calls() {
    return calls.sum();
  }

  /** How many calls key {@code id} got while the upstream failed. */
  int callsWhileFailing(int id) {
    return callsWhileFailing.get(id);
  }
}
