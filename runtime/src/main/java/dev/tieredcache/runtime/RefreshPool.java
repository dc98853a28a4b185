package dev.tieredcache.runtime;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where background refreshes run: by default a bounded pool of daemon threads named
 * {@code tiered-cache-refresh-N}. When every thread is busy and the queue is full, a refresh is refused; the stale
 * value keeps being served and the next stale hit asks again. Tests may hand in their own executor to run
 * refreshes when they choose.
 */
final class RefreshPool implements AutoCloseable {

  private final Executor executor;
  private final boolean owned;

  RefreshPool(int threads, int queueCapacity) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> RefreshWorker.create(r, "tiered-cache-refresh-" + n.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.owned = true;
  }

  /** Runs refreshes on {@code executor}, which the caller owns (it is not shut down by {@link #close}). */
  RefreshPool(Executor executor) {
    this.executor = executor;
    this.owned = false;
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
    if (owned) {
      ((ExecutorService) executor).shutdownNow();
    }
  }

  /** Waits up to {@code millis} for the pool's threads to have ended after {@link #close}. */
  void awaitStopped(long millis) throws InterruptedException {
    if (owned) {
      ((ExecutorService) executor).awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
  }
}
