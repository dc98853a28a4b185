package dev.tieredcache.runtime;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool of daemon threads that runs background refreshes. When every thread is busy and the queue is
 * full, a refresh is refused; the stale value keeps being served and the next stale hit asks again.
 */
final class RefreshPool implements AutoCloseable {

  private final ThreadPoolExecutor executor;

  RefreshPool(int threads, int queueCapacity) {
    AtomicInteger n = new AtomicInteger();
    executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> new RefreshWorker(r, "tiered-cache-refresh-" + n.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code task} in the background; false if the pool is saturated or shut down. */
  boolean submit(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException full) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
