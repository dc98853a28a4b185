package dev.tieredcache.runtime;

/**
 * The time source of the runtime, in epoch milliseconds. Write times are stored with values and compared across
 * instances, so the clock is wall-clock based. Tests inject a clock they move by hand.
 */
public interface CacheClock {

  /** The current time in milliseconds since the epoch; may lag real time by about a millisecond. */
  long millis();
}
