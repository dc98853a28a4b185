package dev.tieredcache.runtime;

/**
 * A ticket that tells a caller to run the upstream on its own thread and report the outcome with
 * {@link RuleCache#complete}. Exactly one {@code complete} call must follow every ticket, on the thread that got
 * it: until then that thread is in the load's pass-through scope, and other callers of the key wait for it.
 */
public final class Load {

  final String key;
  /** The in-flight record other callers of the key wait on; {@code null} for a caller that gave up waiting. */
  final Flights.InFlight flight;
  /** The stale entry served if this load fails (stale-if-error); {@code null} for a cold key. */
  final CacheEntry fallback;
  /** True when this load holds the rule's distributed refresh lock of the key. */
  final boolean locked;
  /** The type the caller's method returns: a fallback of another type is not served. */
  final Class<?> valueType;
  /**
   * True when the method returns a future: the load ends when that future completes, not when the method returns
   * (see {@link FutureLoads}).
   */
  final boolean future;
  /** When the upstream call began ({@link CacheClock#nanos}), for the rule's load durations. */
  final long startedNanos;
  /** When the upstream call began ({@link CacheClock#millis}): the write time of a tagged value it returns. */
  final long startedMillis;
  /** The method called, which renders the tags of what it returns; {@code null} when unknown. */
  final Upstream upstream;
  /** The call's arguments as the call site passed them (see {@link Upstream#call}). */
  final Object arguments;

  Load(String key, Flights.InFlight flight, CacheEntry fallback, boolean locked, Class<?> valueType,
      boolean future, long startedNanos, long startedMillis, Upstream upstream, Object arguments) {
    this.startedMillis = startedMillis;
    this.upstream = upstream;
    this.arguments = arguments;
    this.key = key;
    this.flight = flight;
    this.fallback = fallback;
    this.locked = locked;
    this.valueType = valueType;
    this.future = future;
    this.startedNanos = startedNanos;
  }

  /** The cache key this load is for. */
  public String key() {
    return key;
  }
}
