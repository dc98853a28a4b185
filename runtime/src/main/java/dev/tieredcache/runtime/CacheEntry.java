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
  /** The earliest of {@code freshUntil}, {@code refreshAt} and {@code staleUntil}: before it, a hit serves the value and does nothing else. */
  private final long quietUntil;
  /** The tags the value was written with (rendered); {@code null} when its rule has none. */
  private final String[] tags;
  /**
   * The {@link TagTimes#version} at which no tag of this entry was found evicted after its write; -1 before any
   * check. A plain field: a thread that reads an old value only checks again.
   */
  long tagsCurrentAt = -1;

  public CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil) {
    this(value, writtenAt, freshUntil, staleUntil, Long.MAX_VALUE, null);
  }

  /** An entry with {@code tags} (rendered; {@code null} or empty for none), as the Redis tier decodes one. */
  public CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil, String[] tags) {
    this(value, writtenAt, freshUntil, staleUntil, Long.MAX_VALUE, tags);
  }

  CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil, long refreshAt) {
    this(value, writtenAt, freshUntil, staleUntil, refreshAt, null);
  }

  CacheEntry(Object value, long writtenAt, long freshUntil, long staleUntil, long refreshAt, String[] tags) {
    this.tags = tags == null || tags.length == 0 ? null : tags;
    this.value = value;
    this.writtenAt = writtenAt;
    this.freshUntil = freshUntil;
    this.staleUntil = staleUntil;
    this.refreshAt = refreshAt;
    this.quietUntil = Math.min(Math.min(freshUntil, refreshAt), staleUntil);
  }

  /** The cached value; may be {@code null} when the rule caches nulls. */
  public Object value() { return value; }
  public long writtenAt() { return writtenAt; }
  public long freshUntil() { return freshUntil; }
  public long staleUntil() { return staleUntil; }

  /**
   * The tags the value was written with; {@code null} (never empty) when it has none. The array is the entry's own:
   * callers must not change it.
   */
  public String[] tags() { return tags; }

  /** When a fresh hit starts a background refresh (refresh-ahead); {@link Long#MAX_VALUE} when never. */
  long refreshAt() { return refreshAt; }
  long quietUntil() { return quietUntil; }

  public EntryState state(long now) {
    if (now < freshUntil) {
      return EntryState.FRESH;
    }
    return now < staleUntil ? EntryState.STALE : EntryState.MISSING;
  }

  /** The same value, turned stale at {@code now} (kept usable as a fallback until its stale limit). */
  public CacheEntry markedStale(long now) {
    if (freshUntil <= now) {
      return this;
    }
    return new CacheEntry(value, writtenAt, now, Math.max(staleUntil, now), Long.MAX_VALUE, tags);
  }

  @Override
  public String toString() {
    return "CacheEntry{written=" + writtenAt + ", freshUntil=" + freshUntil + ", staleUntil=" + staleUntil
        + (tags == null ? "" : ", tags=" + java.util.Arrays.toString(tags)) + "}";
  }
}
