package dev.tieredcache.runtime;

/**
 * The times an entry of one rule may carry when it comes from elsewhere (Redis, another instance's backplane
 * message), where anyone who can write to Redis may have put any time: fresh no longer than the rule's ttl and
 * greatest jitter after it was written, stale no longer than the rule's stale window after that. Times within these
 * limits are kept as they are; longer ones are cut down to them. An entry written after now, within a small
 * allowance for clocks that differ between hosts, counts as written now; one written later is refused (cut down to
 * "written now", it would look freshly written at every read and stay fresh for ever).
 */
final class EntryTimeLimits {

  /** How far another host's clock may run ahead of this one's. */
  static final long CLOCK_SKEW_MS = 1_000;

  private final long maxFreshMs;
  private final long staleWindowMs;

  EntryTimeLimits(RulePolicy policy) {
    this.maxFreshMs = policy.ttl().plus(policy.maxJitter()).toMillis();
    this.staleWindowMs = policy.staleWindow().toMillis();
  }

  /**
   * {@code entry} itself when its times are within the limits at {@code now}; the entry with its times cut down when
   * they are longer; {@code null} when it claims to be written in the future.
   */
  CacheEntry clamp(CacheEntry entry, long now) {
    long written = entry.writtenAt();
    if (written > plus(now, CLOCK_SKEW_MS)) {
      return null;
    }
    // a little ahead (another host's clock): taken as written now, so that a remote change made now, which
    // replaces entries written at or before its time, reaches it
    written = Math.min(written, now);
    long fresh = Math.min(entry.freshUntil(), plus(written, maxFreshMs));
    long stale = Math.max(fresh, Math.min(entry.staleUntil(), plus(fresh, staleWindowMs)));
    if (written == entry.writtenAt() && fresh == entry.freshUntil() && stale == entry.staleUntil()) {
      return entry;
    }
    return new CacheEntry(entry.value(), written, fresh, stale, entry.tags());
  }

  /** A time at which something happened elsewhere, as claimed by another host: never later than now plus skew. */
  static long happenedAt(long claimed, long now) {
    return Math.min(claimed, plus(now, CLOCK_SKEW_MS));
  }

  private static long plus(long time, long millis) {
    long sum = time + millis;
    return ((time ^ sum) & (millis ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
