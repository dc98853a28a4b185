package dev.tieredcache.runtime.redistier;

import dev.tieredcache.runtime.CacheClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CacheClock} that stands still at the wall-clock time it was made and moves only when a test moves it.
 * Starting near real time keeps the Redis expiry (PX, real time, computed from this clock's stale limits) and the
 * entry headers (this clock's epoch milliseconds) in agreement, while fresh / stale decisions stay exact.
 */
public final class ManualWallClock implements CacheClock {

  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

  @Override
  public long millis() {
    return millis.get();
  }

  public void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }
}
