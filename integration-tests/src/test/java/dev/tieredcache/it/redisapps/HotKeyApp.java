package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of several JVMs sharing a hot key: loads it ({@code eu@v1}), raises {@code ready-<instance>}, waits for the
 * test's {@code go} (by then the value is stale), then calls it from {@value #THREADS} threads for
 * {@value #HAMMER_MILLIS} ms. Prints the values seen, calls that threw, how long after {@code go} this JVM first
 * saw {@code v2}, and the value of one more call at the end.
 *
 * <p>Argument: the instance name.
 */
public final class HotKeyApp {

  static final int THREADS = 4;
  static final long HAMMER_MILLIS = 2_000;

  public static void main(String[] args) throws InterruptedException {
    String instance = args[0];
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    Headline headline = new Headline(instance);
    Report.result("warm", headline.headline("eu"));
    signals.raise("ready-" + instance);
    signals.await("go", Duration.ofSeconds(30));

    long go = System.nanoTime();
    long end = go + HAMMER_MILLIS * 1_000_000;
    AtomicLong v1 = new AtomicLong();
    AtomicLong v2 = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong firstV2Nanos = new AtomicLong(Long.MAX_VALUE);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread caller = new Thread(() -> {
        while (System.nanoTime() < end) {
          try {
            String value = headline.headline("eu");
            if ("eu@v1".equals(value)) {
              v1.incrementAndGet();
            } else if ("eu@v2".equals(value)) {
              v2.incrementAndGet();
              firstV2Nanos.accumulateAndGet(System.nanoTime() - go, Math::min);
            } else {
              other.incrementAndGet();
            }
          } catch (Throwable e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
          Report.pause(1);
        }
      }, "caller-" + t);
      caller.start();
      callers.add(caller);
    }
    for (Thread caller : callers) {
      caller.join();
    }
    Report.result("v1Calls", v1.get());
    Report.result("v2Calls", v2.get());
    Report.result("otherValues", other.get());
    Report.result("failures", failures.get());
    Report.result("firstFailure", firstFailure.get() == null ? "none" : firstFailure.get().toString());
    long first = firstV2Nanos.get();
    Report.result("firstV2AfterMillis", first == Long.MAX_VALUE ? -1 : first / 1_000_000);
    Report.result("final", headline.headline("eu"));
  }
}
