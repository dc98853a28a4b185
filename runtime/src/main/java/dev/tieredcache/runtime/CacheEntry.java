package dev.tieredcache.runtime;

/**
 * One cached value with the times that decide its state: {@link EntryState#FRESH} before {@code freshUntil},
 * {@link EntryState#STALE} before {@code staleUntil}, then {@link EntryState#MISSING}. Immutable; all times are
 * epoch milliseconds, so the same entry means the same thing in every instance.
 */
public final class CacheEntry {

  private final Object value;
  private final long writtenAt;
  private final long freshUntil;
  private final long staleUntil;
  private final long refreshAt;
  private final int failedRefreshes;
  private final long retryAt;

  public CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil) {
    this(value, writtenAt, freshUntil, staleUntil, Long.MAX_VALUE, 0, 0);
  }

  CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil, long refreshAt, int failedRefreshes,
      long retryAt) {
    this.value = value;
    this.writtenAt = writtenAt;
    this.freshUntil = freshUntil;
    this.staleUntil = staleUntil;
    this.refreshAt = refreshAt;
    this.failedRefreshes = failedRefreshes;
    this.retryAt = retryAt;
  }

  /** The cached value; may be {@code null} when the rule caches nulls. */
  public Object value() { return value; }
  public long writtenAt() { return writtenAt; }
  public long freshUntil() { return freshUntil; }
  public long staleUntil() { return staleUntil; }

  /** When a fresh hit starts a background refresh (refresh-ahead); {@link Long#MAX_VALUE} when never. */
  long refreshAt() { return refreshAt; }

  /** How many refreshes of this value have failed in a row. */
  int failedRefreshes() { return failedRefreshes; }

  /** Before this time no new refresh is tried after a failure (error-backoff). */
  long retryAt() { return retryAt; }

  public EntryState state(long now) {
    if (now < freshUntil) {
      return EntryState.FRESH;
    }
    return now < staleUntil ? EntryState.STALE : EntryState.MISSING;
  }

  /** The same value and times, marked as failed to refresh once more, with no retry before {@code retryAt}. */
  CacheEntry withFailedRefresh(long retryAt) {
    return new CacheEntry(value, writtenAt, freshUntil, staleUntil, refreshAt, failedRefreshes + 1, retryAt);
  }

  /** The same value and times, with no new refresh tried before {@code retryAt}. */
  CacheEntry withRetryAt(long retryAt) {
    return new CacheEntry(value, writtenAt, freshUntil, staleUntil, refreshAt, failedRefreshes, retryAt);
  }

  /** The same value, turned stale at {@code now} (kept usable as a fallback until its stale limit). */
  public CacheEntry markedStale(long now) {
    if (freshUntil <= now) {
      return this;
    }
    return new CacheEntry(value, writtenAt, now, Math.max(staleUntil, now), Long.MAX_VALUE, failedRefreshes, retryAt);
  }

  @Override
  public String toString() {
    return "CacheEntry{written=" + writtenAt + ", freshUntil=" + freshUntil + ", staleUntil=" + staleUntil
        + ", failures=" + failedRefreshes + "}";
  }
}
