package dev.tieredcache.runtime.model;

import dev.tieredcache.runtime.CacheClock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of one model run: starts at the wall-clock time it is made (so the Redis expiry, PX in real time, and
 * the entry headers agree) and then moves only when a step moves it, so fresh / stale / missing limits are exact.
 */
final class ModelClock implements CacheClock {

  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

  @Override
  public long millis() {
    return millis.get();
  }

  void advance(long byMillis) {
    if (byMillis < 0) {
      throw new IllegalArgumentException("the clock does not go back");
    }
    millis.addAndGet(byMillis);
  }
}
