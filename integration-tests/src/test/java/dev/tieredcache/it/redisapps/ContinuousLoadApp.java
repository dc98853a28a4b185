package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls {@link SlowCatalog#price} without pause on two threads, over {@value #KEYS} keys round-robin (with a short
 * ttl every call is soon a load), until the test raises {@code stop}, while the test plays out a Redis failure.
 *
 * <p>Arguments: the names of the phases the test will raise, in order (for example {@code killed restarted}). It
 * raises {@code running} once the calls run; each call is counted under the phase raised last when it started
 * ({@code running} before the first), and the app prints, per phase: calls, calls that threw, calls that returned
 * another value than {@code <sku>@v1}, and the slowest call in microseconds.
 */
public final class ContinuousLoadApp {

  static final int KEYS = 20;
  static final int THREADS = 2;
  private static final Duration LONGEST_RUN = Duration.ofSeconds(40);
  private static final long PAUSE_NANOS = 200_000;

  public static void main(String[] args) throws InterruptedException {
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    List<String> phases = new ArrayList<>();
    phases.add("running");
    phases.addAll(Arrays.asList(args));
    Map<String, PhaseCounts> counts = new LinkedHashMap<>();
    for (String phase : phases) {
      counts.put(phase, new PhaseCounts());
    }
    AtomicReference<PhaseCounts> current = new AtomicReference<>(counts.get("running"));
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    SlowCatalog catalog = new SlowCatalog();
    SlowCatalog.latency(1);
    long deadline = System.nanoTime() + LONGEST_RUN.toNanos();
    AtomicBoolean stopped = new AtomicBoolean();

    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t * 7;
      Thread caller = new Thread(() -> {
        for (long i = offset; !stopped.get(); i++) {
          String sku = "sku-" + (i % KEYS);
          PhaseCounts phase = current.get();
          long start = System.nanoTime();
          try {
            String price = catalog.price(sku);
            if (!(sku + "@v1").equals(price)) {
              phase.wrongValues.incrementAndGet();
            }
          } catch (Throwable e) {
            phase.failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
          phase.record(System.nanoTime() - start);
          // about 4 000 calls a second per thread, leaving CPU to the redis-server and the test on a small machine
          LockSupport.parkNanos(PAUSE_NANOS);
        }
      }, "caller-" + t);
      caller.start();
      callers.add(caller);
    }
    signals.raise("running");
    for (int p = 1; p < phases.size() && System.nanoTime() < deadline; p++) {
      while (!signals.isRaised(phases.get(p)) && !signals.isRaised("stop") && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      if (signals.isRaised(phases.get(p))) {
        current.set(counts.get(phases.get(p)));
      }
    }
    try {
      signals.await("stop", Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } finally {
      stopped.set(true);
    }
    for (Thread caller : callers) {
      caller.join();
    }
    long calls = 0;
    long failures = 0;
    long wrong = 0;
    for (Map.Entry<String, PhaseCounts> e : counts.entrySet()) {
      PhaseCounts c = e.getValue();
      Report.result("calls." + e.getKey(), c.calls.get());
      Report.result("failures." + e.getKey(), c.failures.get());
      Report.result("wrongValues." + e.getKey(), c.wrongValues.get());
      Report.result("maxMicros." + e.getKey(), c.maxNanos.get() / 1_000);
      calls += c.calls.get();
      failures += c.failures.get();
      wrong += c.wrongValues.get();
    }
    Report.result("calls", calls);
    Report.result("failures", failures);
    Report.result("wrongValues", wrong);
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    Report.result("firstFailure", firstFailure.get() == null ? "none" : firstFailure.get().toString());
    if (firstFailure.get() != null) {
      firstFailure.get().printStackTrace();
    }
  }

  private static final class PhaseCounts {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong wrongValues = new AtomicLong();
    final AtomicLong maxNanos = new AtomicLong();

    void record(long nanos) {
      calls.incrementAndGet();
      maxNanos.accumulateAndGet(nanos, Math::max);
    }
  }
}
