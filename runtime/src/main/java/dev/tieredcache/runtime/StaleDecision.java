package dev.tieredcache.runtime;

/**
 * The fresh / stale / missing decision of SPEC §4, in one place: what a call does with the entry it found, whichever
 * tier that entry came from. Pure: the entry, the time and the key's error-backoff in, an {@link Action} out.
 */
final class StaleDecision {

  /** What a call does with an entry. */
  enum Action {
    /** Fresh: serve it. */
    FRESH,
    /** Fresh, past the refresh-ahead point and not backing off: serve it and refresh in the background. */
    FRESH_REFRESH_AHEAD,
    /** Stale within stale-while-revalidate and not backing off: serve it at once and refresh in the background. */
    STALE_REVALIDATE,
    /** Stale within stale-while-revalidate while a failed refresh backs off: serve it, start nothing. */
    STALE_BACKING_OFF,
    /** Stale past stale-while-revalidate while a failed refresh backs off: serve it as stale-on-error. */
    STALE_ON_ERROR,
    /** Stale past stale-while-revalidate: load on the caller's thread, with the entry as the fallback. */
    LOAD_WITH_FALLBACK,
    /** Missing (or no entry): load on the caller's thread, without a fallback. */
    LOAD
  }

  private final long staleWhileRevalidateMs;

  StaleDecision(long staleWhileRevalidateMs) {
    this.staleWhileRevalidateMs = staleWhileRevalidateMs;
  }

  /**
   * @param entry the entry found, or {@code null}
   * @param retryAt before this time no refresh of the entry is tried (error-backoff); 0 when none is pending
   */
  Action decide(CacheEntry entry, long now, long retryAt) {
    if (entry == null || now >= entry.staleUntil()) {
      return Action.LOAD;
    }
    boolean backingOff = now < retryAt;
    if (now < entry.freshUntil()) {
      return now >= entry.refreshAt() && !backingOff ? Action.FRESH_REFRESH_AHEAD : Action.FRESH;
    }
    if (withinStaleWhileRevalidate(entry, now)) {
      return backingOff ? Action.STALE_BACKING_OFF : Action.STALE_REVALIDATE;
    }
    return backingOff ? Action.STALE_ON_ERROR : Action.LOAD_WITH_FALLBACK;
  }

  /** True while a stale entry is served at once (its refresh runs in the background). */
  boolean withinStaleWhileRevalidate(CacheEntry entry, long now) {
    return now - entry.freshUntil() < staleWhileRevalidateMs;
  }

  /** True if a caller that finds {@code entry} is served without waiting for a load. */
  boolean servesAtOnce(CacheEntry entry, long now) {
    return now < entry.staleUntil() && (now < entry.freshUntil() || withinStaleWhileRevalidate(entry, now));
  }
}
