package dev.tieredcache.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalescing: at most one load per key of a rule runs in this instance; later callers of the key join it. A load is
 * claimed, then released exactly once by whoever claimed it. An evict cancels a running load: its callers still get
 * its value, but it is not kept, and the next caller starts a new load.
 */
final class Flights {

  private final ConcurrentHashMap<String, InFlight> byKey = new ConcurrentHashMap<>();

  /** Claims the load of {@code key} for {@code mine}; returns {@code null} if it got it, else the running load. */
  InFlight claim(String key, InFlight mine) {
    return byKey.putIfAbsent(key, mine);
  }

  /** Ends {@code flight}'s claim of {@code key} (if it still holds it). */
  void release(String key, InFlight flight) {
    if (flight != null) {
      byKey.remove(key, flight);
    }
  }

  /** Makes the running load of {@code key}, if any, one whose result is not kept. */
  void cancel(String key) {
    InFlight running = byKey.remove(key);
    if (running != null) {
      running.invalidated = true;
    }
  }

  /** The keys of the loads running now: a live view. */
  java.util.Set<String> keys() {
    return byKey.keySet();
  }

  /** {@link #cancel} for every running load. */
  void cancelAll() {
    // mark, then remove, each load seen: a claim made meanwhile is either marked with the rest or left running
    // as a load that started after this cancel
    for (java.util.Map.Entry<String, InFlight> running : byKey.entrySet()) {
      running.getValue().invalidated = true;
      byKey.remove(running.getKey(), running.getValue());
    }
  }

  /** A load of one key in progress; the callers that join it wait for its outcome. */
  static final class InFlight extends CompletableFuture<Object> {
    /** The thread running the load; set by a background refresh once it runs. */
    volatile Thread owner;
    /** Set when the key was evicted while the load ran: its result is not kept. */
    volatile boolean invalidated;
    /** The stale entry this load replaces, which its waiters fall back to; {@code null} for a cold key. */
    volatile CacheEntry fallback;

    InFlight(Thread owner) {
      this.owner = owner;
    }
  }
}
