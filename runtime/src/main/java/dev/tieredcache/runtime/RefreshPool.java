package dev.tieredcache.runtime;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where background refreshes run: by default a bounded pool of daemon threads named
 * {@code tiered-cache-refresh-N}. When every thread is busy and the queue is full, a refresh is refused; the stale
 * value keeps being served and the next stale hit asks again. Tests may hand in their own executor to run
 * refreshes when they choose. Work that must wait first (a caller of a future method that outlasts load-timeout)
 * waits on the cache's timer, which only hands it to the pool.
 */
final class RefreshPool implements AutoCloseable {

  private final Executor executor;
  private final boolean owned;
  /** Where delayed work waits; {@code null} when there is none (then {@link #submitAfter} declines). */
  private final ScheduledExecutorService timer;

  RefreshPool(int threads, int queueCapacity) {
    this(threads, queueCapacity, null);
  }

  RefreshPool(int threads, int queueCapacity, ScheduledExecutorService timer) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> RefreshWorker.create(r, "tiered-cache-refresh-" + n.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.owned = true;
    this.timer = timer;
  }

  /** Runs refreshes on {@code executor}, which the caller owns (it is not shut down by {@link #close}). */
  RefreshPool(Executor executor) {
    this(executor, null);
  }

  /** {@link #RefreshPool(Executor)} with a timer for {@link #submitAfter} (not shut down by {@link #close}). */
  RefreshPool(Executor executor, ScheduledExecutorService timer) {
    this.executor = executor;
    this.owned = false;
    this.timer = timer;
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

  /**
   * Runs {@code task} in the background once {@code delayNanos} have passed, unless the returned handle is
   * cancelled before; {@code null} when it cannot be scheduled. A task the saturated pool refuses then does not run.
   */
  Future<?> submitAfter(long delayNanos, Runnable task) {
    if (timer == null) {
      return null;
    }
    try {
      return timer.schedule(() -> submit(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      return null;
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
