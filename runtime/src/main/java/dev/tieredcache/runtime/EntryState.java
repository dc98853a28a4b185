package dev.tieredcache.runtime;

/** Where a cached value is in its life: served as is, served while refreshed, or gone. */
public enum EntryState {
  /** Served without calling the upstream. */
  FRESH,
  /** Past ttl + jitter: served while a refresh runs, or as a fallback when the upstream fails. */
  STALE,
  /** Past the stale window, or never written: the upstream must be called. */
  MISSING
}
