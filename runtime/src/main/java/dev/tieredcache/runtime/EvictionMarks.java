package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What this instance evicted, for the entries it reads from Redis (SPEC §4 "when an evicting method returns, no
 * later call in that instance gets an evicted value, whatever Redis has applied yet"). The Redis delete of an evict
 * goes through the ordered writer and may land later; until a value is written again here, an entry read from
 * Redis that was written at or before the key's eviction (or the rule's clear) is not used.
 */
final class EvictionMarks {

  /** Marks a key written here after its eviction: entries read from Redis are used again. */
  private static final long WRITTEN = Long.MIN_VALUE;

  private final Cache<String, Long> byKey;
  private volatile long clearedAt = Long.MIN_VALUE;

  EvictionMarks(long maxEntries) {
    this.byKey = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
  }

  void evicted(String key, long at) {
    byKey.put(key, at);
  }

  void cleared(long at) {
    byKey.invalidateAll();
    clearedAt = at;
  }

  /** This instance wrote a new value of {@code key}: whatever Redis holds of it from now on is newer. */
  void written(String key) {
    if (clearedAt != Long.MIN_VALUE || byKey.getIfPresent(key) != null) {
      byKey.put(key, WRITTEN);
    }
  }

  /** True if {@code entry}, read from Redis, was written before an eviction of {@code key} here. */
  boolean predates(String key, CacheEntry entry) {
    Long mark = byKey.getIfPresent(key);
    if (mark != null) {
      return mark != WRITTEN && entry.writtenAt() <= mark;
    }
    return entry.writtenAt() <= clearedAt;
  }
}
