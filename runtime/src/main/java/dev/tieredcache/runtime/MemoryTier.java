package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-process tier of one rule: a Caffeine cache bounded by the rule's max-entries, whose entries leave when
 * they turn missing (at their stale limit), timed by the runtime's clock.
 */
public final class MemoryTier implements Tier {

  private final Cache<String, CacheEntry> cache;
  private final ConcurrentMap<String, CacheEntry> map;

  public MemoryTier(long maxEntries, CacheClock clock) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new UntilStaleLimit(clock))
        .build();
    this.map = cache.asMap();
  }

  @Override
  public CacheEntry get(String key) {
    return cache.getIfPresent(key);
  }

  @Override
  public void put(String key, CacheEntry entry) {
    cache.put(key, entry);
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

  /** The number of entries held now (approximate). */
  public long size() {
    return cache.estimatedSize();
  }

  private static final class UntilStaleLimit implements Expiry<String, CacheEntry> {
    private final CacheClock clock;

    UntilStaleLimit(CacheClock clock) {
      this.clock = clock;
    }

    private long remainingNanos(CacheEntry e) {
      long ms = e.staleUntil() - clock.millis();
      return ms <= 0 ? 0 : (ms >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : ms * 1_000_000L);
    }

    @Override
    public long expireAfterCreate(String key, CacheEntry e, long currentTime) {
      return remainingNanos(e);
    }

    @Override
    public long expireAfterUpdate(String key, CacheEntry e, long currentTime, long currentDuration) {
      return remainingNanos(e);
    }

    @Override
    public long expireAfterRead(String key, CacheEntry e, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
