package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures every call while the test pauses Redis: {@value #HIT_THREADS} threads call {@value #HOT_KEYS} pre-warmed
 * keys (fresh memory hits), one thread calls a new key every {@value #MISS_EVERY_MILLIS} ms (a miss: Redis is read,
 * then the upstream runs for {@value #UPSTREAM_MILLIS} ms). The app raises {@code running} once the hot keys are
 * warm; the test raises {@code paused}, {@code resumed} and {@code stop}.
 *
 * <p>Prints the percentiles of hit and miss latency in microseconds (hits: p50, p90, p99, p99.9, max; misses: p50,
 * p99, max; and the misses that started while Redis was paused), calls that threw, and wrong values.
 */
public final class LatencyUnderPauseApp {

  static final int HOT_KEYS = 50;
  static final int HIT_THREADS = 3;
  static final long MISS_EVERY_MILLIS = 20;
  static final long UPSTREAM_MILLIS = 50;
  private static final int MAX_SAMPLES_PER_THREAD = 2_000_000;
  private static final long HIT_PAUSE_NANOS = 50_000;
  private static final Duration LONGEST_RUN = Duration.ofSeconds(40);

  public static void main(String[] args) throws InterruptedException {
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    SlowCatalog catalog = new SlowCatalog();
    for (int k = 0; k < HOT_KEYS; k++) {
      catalog.price("hot-" + k);
    }
    SlowCatalog.latency(UPSTREAM_MILLIS);

    AtomicBoolean stopped = new AtomicBoolean();
    AtomicBoolean paused = new AtomicBoolean();
    AtomicLong failures = new AtomicLong();
    AtomicLong wrongValues = new AtomicLong();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    List<long[]> hitSamples = new ArrayList<>();
    List<int[]> hitCounts = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < HIT_THREADS; t++) {
      long[] samples = new long[MAX_SAMPLES_PER_THREAD];
      int[] count = new int[1];
      hitSamples.add(samples);
      hitCounts.add(count);
      int offset = t * 17;
      threads.add(new Thread(() -> {
        for (int i = offset; !stopped.get(); i++) {
          String key = "hot-" + (i % HOT_KEYS);
          long start = System.nanoTime();
          try {
            if (!(key + "@v1").equals(catalog.price(key))) {
              wrongValues.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
          long took = System.nanoTime() - start;
          if (count[0] < samples.length) {
            samples[count[0]++] = took;
          }
          LockSupport.parkNanos(HIT_PAUSE_NANOS);
        }
      }, "hits-" + t));
    }
    long[] missSamples = new long[10_000];
    long[] pausedMissSamples = new long[10_000];
    int[] missCount = new int[2];
    threads.add(new Thread(() -> {
      for (int n = 0; !stopped.get() && missCount[0] < missSamples.length; n++) {
        String key = "miss-" + n;
        boolean duringPause = paused.get();
        long start = System.nanoTime();
        try {
          if (!(key + "@v1").equals(catalog.price(key))) {
            wrongValues.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, e);
        }
        long took = System.nanoTime() - start;
        missSamples[missCount[0]++] = took;
        if (duringPause) {
          pausedMissSamples[missCount[1]++] = took;
        }
        Report.pause(MISS_EVERY_MILLIS);
      }
    }, "misses"));
    for (Thread thread : threads) {
      thread.start();
    }
    signals.raise("running");
    try {
      signals.await("paused", LONGEST_RUN);
      paused.set(true);
      signals.await("resumed", LONGEST_RUN);
      paused.set(false);
      signals.await("stop", LONGEST_RUN);
    } finally {
      stopped.set(true);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    long[] hits = concat(hitSamples, hitCounts);
    Report.result("hits", hits.length);
    Report.result("hitP50Micros", percentile(hits, 0.50) / 1_000);
    Report.result("hitP90Micros", percentile(hits, 0.90) / 1_000);
    Report.result("hitP99Micros", percentile(hits, 0.99) / 1_000);
    Report.result("hitP999Micros", percentile(hits, 0.999) / 1_000);
    Report.result("hitMaxMicros", percentile(hits, 1.0) / 1_000);
    long[] misses = Arrays.copyOf(missSamples, missCount[0]);
    Arrays.sort(misses);
    Report.result("misses", misses.length);
    Report.result("missP50Micros", percentile(misses, 0.50) / 1_000);
    Report.result("missP99Micros", percentile(misses, 0.99) / 1_000);
    Report.result("missMaxMicros", percentile(misses, 1.0) / 1_000);
    long[] pausedMisses = Arrays.copyOf(pausedMissSamples, missCount[1]);
    Arrays.sort(pausedMisses);
    Report.result("missesDuringPause", pausedMisses.length);
    Report.result("missDuringPauseP50Micros", percentile(pausedMisses, 0.50) / 1_000);
    Report.result("missDuringPauseMaxMicros", percentile(pausedMisses, 1.0) / 1_000);
    Report.result("failures", failures.get());
    Report.result("wrongValues", wrongValues.get());
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    Report.result("firstFailure", firstFailure.get() == null ? "none" : firstFailure.get().toString());
  }

  private static long[] concat(List<long[]> samples, List<int[]> counts) {
    int total = 0;
    for (int[] count : counts) {
      total += count[0];
    }
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < samples.size(); t++) {
      System.arraycopy(samples.get(t), 0, all, at, counts.get(t)[0]);
      at += counts.get(t)[0];
    }
    Arrays.sort(all);
    return all;
  }

  /** The {@code q} quantile of sorted {@code nanos} (nearest rank); -1 when there are none. */
  private static long percentile(long[] nanos, double q) {
    if (nanos.length == 0) {
      return -1_000;
    }
    int rank = (int) Math.ceil(q * nanos.length);
    return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))];
  }
}
