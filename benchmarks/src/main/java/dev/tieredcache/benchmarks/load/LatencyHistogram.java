package dev.tieredcache.benchmarks.load;

/**
 * Call latencies in nanoseconds, in buckets of at most about 3% width (32 per power of two), so that percentiles of a
 * phase with millions of calls cost a few kilobytes. Written by one thread; {@link #add} merges another's counts.
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int HALF = SUB / 2;
  private static final int BUCKETS = SUB + (64 - SUB_BITS) * HALF;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[indexOf(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long maxNanos() {
    return max;
  }

  /** The value below which {@code fraction} of the calls fell (the upper edge of its bucket), in nanoseconds. */
  long percentileNanos(double fraction) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, upperEdge(i));
      }
    }
    return max;
  }

  static int indexOf(long v) {
    if (v < SUB) {
      return (int) v;
    }
    // shifted right so that SUB/2 <= v >>> shift < SUB: 32 buckets for each power of two from SUB on
    int shift = 63 - Long.numberOfLeadingZeros(v) - (SUB_BITS - 1);
    return SUB + (shift - 1) * HALF + (int) (v >>> shift) - HALF;
  }

  static long upperEdge(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = (index - SUB) / HALF + 1;
    long mantissa = (index - SUB) % HALF + HALF;
    return ((mantissa + 1) << shift) - 1;
  }
}
