package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * The in-process tier of one rule: a Caffeine cache bounded by the rule's max-entries. An entry is gone once it
 * turns missing (at its stale limit, by the runtime's clock): a read never returns it, and {@link #sweep} removes
 * the ones nobody reads.
 *
 * <p>Expiry is checked here rather than by Caffeine's variable expiry, which measured at about 20 ns extra per
 * hit (HitPathBenchmark), more than the rest of a hit together.
 */
public final class MemoryTier implements Tier {

  private final Cache<String, CacheEntry> cache;
  private final ConcurrentMap<String, CacheEntry> map;
  private final CacheClock clock;

  public MemoryTier(long maxEntries, CacheClock clock) {
    this.clock = clock;
    // maintenance on the caller's thread: never the host's ForkJoinPool.commonPool()
    this.cache = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(maxEntries)
        .build();
    this.map = cache.asMap();
  }

  @Override
  public CacheEntry get(String key) {
    return get(key, clock.millis());
  }

  /** {@link #get(String)} for a caller that has read the clock already ({@code now}): the hit path reads it once. */
  CacheEntry get(String key, long now) {
    CacheEntry e = cache.getIfPresent(key);
    if (e != null && now >= e.staleUntil()) {
      map.remove(key, e);
      return null;
    }
    return e;
  }

  /** Removes every entry that has turned missing; returns how many. */
  public int sweep() {
    long now = clock.millis();
    int removed = 0;
    for (Map.Entry<String, CacheEntry> e : map.entrySet()) {
      if (now >= e.getValue().staleUntil() && map.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void put(String key, CacheEntry entry) {
    cache.put(key, entry);
  }

  /**
   * Stores {@code entry} unless {@code cancelled} says so at the moment of the write, atomically with other writes
   * of the key: an evict that cancels first and removes second can never leave (or let anyone read) an entry
   * written by the load it cancelled.
   */
  void putUnless(String key, CacheEntry entry, BooleanSupplier cancelled) {
    map.compute(key, (k, old) -> cancelled.getAsBoolean() ? old : entry);
  }

  /** Replaces {@code expected} with {@code updated} only if the key still holds {@code expected}. */
  public boolean replace(String key, CacheEntry expected, CacheEntry updated) {
    return map.replace(key, expected, updated);
  }

  /** Removes {@code key} only if it still holds {@code expected}. */
  public boolean remove(String key, CacheEntry expected) {
    return map.remove(key, expected);
  }

  @Override
  public void evict(String key) {
    cache.invalidate(key);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** Turns every entry written before {@code before} stale at {@code now}; they stay usable as fallbacks. */
  public void markStaleWrittenBefore(long before, long now) {
    map.replaceAll((k, e) -> e.writtenAt() < before ? e.markedStale(now) : e);
  }

  /** The keys held now: a live view, for the rare look-ups by something other than the key. */
  java.util.Set<String> keys() {
    return map.keySet();
  }

  /** Changes the bound of this tier (a rule replaced with another max-entries keeps its entries). */
  void resize(long maxEntries) {
    cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(maxEntries));
  }

  /** The number of entries held now (approximate). */
  public long size() {
    return cache.estimatedSize();
  }
}
