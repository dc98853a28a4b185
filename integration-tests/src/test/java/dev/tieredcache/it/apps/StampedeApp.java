package dev.tieredcache.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Releases 200 threads at once on one cold key whose load takes 200 ms. */
public final class StampedeApp {

  static final int CALLERS = 200;

  public static void main(String[] args) throws InterruptedException {
    SlowCatalog catalog = new SlowCatalog();
    SlowCatalog.latency(200);
    CountDownLatch ready = new CountDownLatch(CALLERS);
    CountDownLatch go = new CountDownLatch(1);
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      Thread caller = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          answers.merge(catalog.price("sku-1"), 1, Integer::sum);
        } catch (Throwable t) {
          failures.incrementAndGet();
          t.printStackTrace();
        }
      }, "caller-" + i);
      caller.start();
      callers.add(caller);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    int answered = 0;
    for (int n : answers.values()) {
      answered += n;
    }
    Report.result("answered", answered);
    Report.result("failures", failures.get());
    Report.result("distinctValues", answers.size());
    Report.result("values", answers.keySet());
    Report.result("elapsedMicros", Report.microsSince(start));
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }
}
