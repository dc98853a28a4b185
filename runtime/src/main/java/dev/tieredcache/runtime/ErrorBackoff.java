package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The failure history of a rule's keys, kept apart from the tiers so that error-backoff holds for every
 * {@code tiers:} setting (a Redis-only rule keeps no memory entry to carry it). After a failed refresh of a value,
 * no refresh of it is tried before the backoff has passed; each further failure doubles the wait, capped at five
 * minutes. A success, an eviction or a newer value ends the history. Bounded like the rule's memory tier.
 */
final class ErrorBackoff {

  private static final long MAX_BACKOFF_MS = Duration.ofMinutes(5).toMillis();

  private final long baseMs;
  private final Cache<String, Failures> byKey;

  ErrorBackoff(Duration base, long maxEntries) {
    this.baseMs = base.toMillis();
    this.byKey = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
  }

  /** Before this time no refresh of the value written at {@code writtenAt} is tried; 0 when none is pending. */
  long retryAt(String key, CacheEntry entry) {
    Failures f = byKey.getIfPresent(key);
    return f != null && entry.writtenAt() <= f.writtenAt ? f.retryAt : 0;
  }

  /** How many refreshes of the key's current value failed in a row. */
  int failures(String key) {
    Failures f = byKey.getIfPresent(key);
    return f == null ? 0 : f.count;
  }

  /** Records a failed refresh of {@code entry} at {@code now}; returns when the next one may be tried. */
  long recordFailure(String key, CacheEntry entry, long now) {
    Failures before = byKey.getIfPresent(key);
    int count = before != null && entry.writtenAt() <= before.writtenAt ? before.count : 0;
    long wait = Math.min(MAX_BACKOFF_MS, baseMs << Math.min(count, 20));
    long retryAt = now + Math.max(0, wait);
    byKey.put(key, new Failures(Math.max(entry.writtenAt(), before == null ? 0 : before.writtenAt), count + 1,
        retryAt));
    return retryAt;
  }

  /** Holds refreshes of {@code entry} back until {@code until} without counting a failure. */
  void holdUntil(String key, CacheEntry entry, long until) {
    Failures before = byKey.getIfPresent(key);
    int count = before != null && entry.writtenAt() <= before.writtenAt ? before.count : 0;
    byKey.put(key, new Failures(entry.writtenAt(), count, Math.max(until, before == null ? 0 : before.retryAt)));
  }

  void clear(String key) {
    byKey.invalidate(key);
  }

  void clearAll() {
    byKey.invalidateAll();
  }

  private static final class Failures {
    final long writtenAt;
    final int count;
    final long retryAt;

    Failures(long writtenAt, int count, long retryAt) {
      this.writtenAt = writtenAt;
      this.count = count;
      this.retryAt = retryAt;
    }
  }
}
