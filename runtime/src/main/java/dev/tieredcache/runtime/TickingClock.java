package dev.tieredcache.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A coarse wall clock: one daemon thread reads {@link System#currentTimeMillis()} every millisecond and publishes
 * it, so a read on the hit path is a single volatile load instead of a system call (which costs more than a whole
 * memory-tier hit on machines with a slow clock source).
 */
public final class TickingClock implements CacheClock, AutoCloseable {

  private static final long TICK_NANOS = 1_000_000L;

  private volatile long now = System.currentTimeMillis();
  private volatile boolean running = true;
  private final Thread ticker;

  public TickingClock() {
    ticker = new Thread(this::tick, "tiered-cache-clock");
    ticker.setDaemon(true);
    ticker.start();
  }

  private void tick() {
    while (running) {
      now = System.currentTimeMillis();
      LockSupport.parkNanos(TICK_NANOS);
    }
  }

  @Override
  public long millis() {
    return now;
  }

  /** Stops the ticking thread; reads keep returning the last published time. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(ticker);
  }

  /** Waits up to {@code millis} for the ticking thread to have ended after {@link #close}. */
  void awaitStopped(long millis) throws InterruptedException {
    ticker.join(Math.max(1, millis));
  }
}
