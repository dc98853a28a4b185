package dev.tieredcache.runtime;

/**
 * The time source of the runtime, in epoch milliseconds. Write times are stored with values and compared across
 * instances, so the clock is wall-clock based. Tests inject a clock they move by hand.
 */
public interface CacheClock {

  /** The current time in milliseconds since the epoch; may lag real time by about a millisecond. */
  long millis();

  /**
   * A reading of a monotonic clock in nanoseconds, for measuring how long something took (loads); only the
   * difference of two readings means anything. Tests that move time by hand move it here too.
   */
  default long nanos() {
    return System.nanoTime();
  }
}
