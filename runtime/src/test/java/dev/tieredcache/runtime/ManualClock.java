package dev.tieredcache.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link CacheClock} that only moves when a test moves it, so every expiry path is tested without sleeping. */
final class ManualClock implements CacheClock {

  /** A realistic epoch time, so that the memory tier's nanosecond ticker behaves as with a wall clock. */
  static final long START = 1_700_000_000_000L;

  private final AtomicLong millis = new AtomicLong(START);

  @Override
  public long millis() {
    return millis.get();
  }

  /** Moves with {@link #millis}: a load during which the test advances the clock took that long. */
  @Override
  public long nanos() {
    return millis.get() * 1_000_000L;
  }

  void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }

  /** Moves the clock to {@code epochMillis}; it must not go back. */
  void setTo(long epochMillis) {
    if (epochMillis < millis.get()) {
      throw new IllegalArgumentException("the clock does not go back");
    }
    millis.set(epochMillis);
  }
}
