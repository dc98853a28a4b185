package dev.tieredcache.runtime.backplanetests;

import dev.tieredcache.runtime.CacheClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall clock plus an offset that a test moves forward, so that one instance can see its value turn stale
 * while the others' clocks, and Redis expiry, keep real time.
 */
final class ShiftedClock implements CacheClock {

  private final AtomicLong offset = new AtomicLong();

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get();
  }

  void advance(Duration by) {
    offset.addAndGet(by.toMillis());
  }
}
