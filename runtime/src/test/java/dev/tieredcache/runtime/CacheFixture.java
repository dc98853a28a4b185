package dev.tieredcache.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A {@link TieredCache} on a {@link ManualClock} with real refresh threads, plus a pool of caller threads for
 * concurrency tests. Close it after each test.
 */
final class CacheFixture implements AutoCloseable {

  final ManualClock clock = new ManualClock();
  final TieredCache cache;
  private final List<ExecutorService> callers = new ArrayList<>();

  CacheFixture() {
    this(TieredCache.builder());
  }

  CacheFixture(TieredCache.Builder builder) {
    this.cache = builder.clock(clock).build();
  }

  /** A memory-only policy named "r" without jitter, so state boundaries are exact; tests override the rest. */
  static RulePolicy.Builder policy() {
    return RulePolicy.builder().name("r").jitter(0.0).tiers(List.of(RulePolicy.TierKind.MEMORY));
  }

  RuleCache rule(RulePolicy.Builder policy) {
    return cache.addRule(policy.build());
  }

  /** Runs {@code task(i)} for i in [0, n) on n threads that start together. */
  <T> List<Future<T>> concurrently(int n, IntFunction<T> task) {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    callers.add(pool);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      futures.add(pool.submit(() -> {
        start.await();
        return task.apply(index);
      }));
    }
    start.countDown();
    return futures;
  }

  /** The results of {@link #concurrently}, failing the test if a caller hangs. */
  static <T> List<T> results(List<Future<T>> futures) throws Exception {
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      out.add(f.get(20, TimeUnit.SECONDS));
    }
    return out;
  }

  /** Awaitility for real threads (refresh workers, callers); time logic never waits, it moves the clock. */
  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2));
  }

  /**
   * Waits until {@code worker}, a refresh thread whose upstream call was let go, has finished its task and parks in
   * the pool again (or has died).
   */
  static void awaitIdle(Thread worker) {
    eventually().until(() -> {
      Thread.State state = worker.getState();
      if (state == Thread.State.TERMINATED) {
        return true;
      }
      if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
        return false;
      }
      for (StackTraceElement frame : worker.getStackTrace()) {
        if (frame.getClassName().startsWith("dev.tieredcache.runtime.RuleCache")) {
          return false;
        }
      }
      return true;
    });
  }

  @Override
  public void close() {
    for (ExecutorService pool : callers) {
      pool.shutdownNow();
    }
    cache.close();
  }
}
