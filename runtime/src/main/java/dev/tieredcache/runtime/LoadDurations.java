package dev.tieredcache.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long the upstream calls of one rule took, foreground and background: a histogram with fixed bounds, one
 * counter per bucket and a running sum. Recording takes no lock and allocates nothing; it runs when a load ends,
 * never on the hit path.
 */
public final class LoadDurations {

  /**
   * The upper bounds of the buckets, smallest first; a last bucket without bound takes the rest. From a millisecond
   * (a nearby cache or database) to ten seconds (a slow remote service), in steps of 1, 2.5 and 5.
   */
  public static final List<Duration> BOUNDS = List.of(Duration.ofMillis(1), Duration.ofNanos(2_500_000),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10));

  private static final long[] BOUND_NANOS = BOUNDS.stream().mapToLong(Duration::toNanos).toArray();

  /** Loads per bucket (not cumulative); the last one is above every bound. */
  private final LongAdder[] buckets = new LongAdder[BOUND_NANOS.length + 1];
  private final LongAdder sumNanos = new LongAdder();

  LoadDurations() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Counts one load that took {@code nanos}; a negative time (a clock that went back) counts as zero. */
  void record(long nanos) {
    long took = Math.max(0, nanos);
    int i = 0;
    while (i < BOUND_NANOS.length && took > BOUND_NANOS[i]) {
      i++;
    }
    buckets[i].increment();
    sumNanos.add(took);
  }

  /** Loads recorded. */
  public long count() {
    long n = 0;
    for (LongAdder bucket : buckets) {
      n += bucket.sum();
    }
    return n;
  }

  /** The time all recorded loads took together. */
  public Duration sum() {
    return Duration.ofNanos(sumNanos.sum());
  }

  /**
   * For each bound of {@link #BOUNDS}, the loads that took at most that long, then all loads: cumulative, as a
   * Prometheus histogram shows them. Read while loads end, the counts may mix moments, but never decrease from one
   * bucket to the next.
   */
  public long[] cumulativeCounts() {
    long[] counts = new long[buckets.length];
    long running = 0;
    for (int i = 0; i < buckets.length; i++) {
      running += buckets[i].sum();
      counts[i] = running;
    }
    return counts;
  }
}
