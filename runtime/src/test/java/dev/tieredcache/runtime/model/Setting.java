package dev.tieredcache.runtime.model;

import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.List;

/** The configuration of one model run: the rule's tiers and policy, and how its background refreshes run. */
final class Setting {

  /** The three {@code tiers:} settings of SPEC §3. */
  enum Tiers {
    MEMORY(List.of(RulePolicy.TierKind.MEMORY)),
    MEMORY_AND_REDIS(List.of(RulePolicy.TierKind.MEMORY, RulePolicy.TierKind.REDIS)),
    REDIS(List.of(RulePolicy.TierKind.REDIS));

    final List<RulePolicy.TierKind> kinds;

    Tiers(List<RulePolicy.TierKind> kinds) {
      this.kinds = kinds;
    }

    boolean redis() {
      return this != MEMORY;
    }

    @Override
    public String toString() {
      return "tiers: " + kinds.toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The time windows of the rule; jitter is always 0, so every limit is exact. */
  enum Windows {
    /** The usual shape: a short fresh time, a stale-while-revalidate window, a long stale-if-error window. */
    USUAL(10_000, 30_000, 3_600_000, 5_000),
    /** stale-while-revalidate longer than stale-if-error: every stale moment is within stale-while-revalidate. */
    REVALIDATE_ONLY(10_000, 60_000, 30_000, 5_000),
    /** No stale-while-revalidate: every stale call loads on the caller's thread. */
    NO_REVALIDATE(5_000, 0, 120_000, 1_000),
    /** A long error-backoff in a long stale-if-error window: the doubling reaches its 5-minute cap. */
    BACKOFF_CAP(1_000, 2_000, 600_000, 30_000);

    final long ttlMs;
    final long swrMs;
    final long sieMs;
    final long errorBackoffMs;

    Windows(long ttlMs, long swrMs, long sieMs, long errorBackoffMs) {
      this.ttlMs = ttlMs;
      this.swrMs = swrMs;
      this.sieMs = sieMs;
      this.errorBackoffMs = errorBackoffMs;
    }

    @Override
    public String toString() {
      return "ttl " + ms(ttlMs) + ", stale-while-revalidate " + ms(swrMs) + ", stale-if-error " + ms(sieMs)
          + ", error-backoff " + ms(errorBackoffMs);
    }
  }

  /** When the background refreshes that calls queue actually run. */
  enum Pool {
    /**
     * Only when a step says so: time may pass while a refresh waits, so callers wait on it (load-timeout 1 ms,
     * the refresh never finishes meanwhile) and fall back to the stale value or load themselves.
     */
    QUEUED(1),
    /**
     * Also before the clock moves, as a pool with free threads would: no caller ever waits on a queued refresh,
     * and load-timeout (5 s) is long enough for a second caller to wait on a load that runs.
     */
    PROMPT(5_000);

    final long loadTimeoutMs;

    Pool(long loadTimeoutMs) {
      this.loadTimeoutMs = loadTimeoutMs;
    }

    @Override
    public String toString() {
      return (this == QUEUED ? "refreshes run when a step says so" : "refreshes run before time passes")
          + ", load-timeout " + ms(loadTimeoutMs);
    }
  }

  final Tiers tiers;
  final boolean copyOnRead;
  final boolean cacheNulls;
  final Windows windows;
  final Pool pool;

  Setting(Tiers tiers, boolean copyOnRead, boolean cacheNulls, Windows windows, Pool pool) {
    this.tiers = tiers;
    this.copyOnRead = copyOnRead;
    this.cacheNulls = cacheNulls;
    this.windows = windows;
    this.pool = pool;
  }

  /** The rule's policy: named {@code r}, jitter 0, refresh-ahead off, the windows and flags of this setting. */
  RulePolicy policy() {
    return RulePolicy.builder()
        .name("r")
        .tiers(tiers.kinds)
        .ttl(Duration.ofMillis(windows.ttlMs))
        .staleWhileRevalidate(Duration.ofMillis(windows.swrMs))
        .staleIfError(Duration.ofMillis(windows.sieMs))
        .errorBackoff(Duration.ofMillis(windows.errorBackoffMs))
        .jitter(0.0)
        .loadTimeout(Duration.ofMillis(pool.loadTimeoutMs))
        .copyOnRead(copyOnRead)
        .cacheNulls(cacheNulls)
        .build();
  }

  @Override
  public String toString() {
    return tiers + ", copy-on-read " + copyOnRead + ", cache-nulls " + cacheNulls + ", " + windows + "; " + pool;
  }

  static String ms(long millis) {
    if (millis == 0) {
      return "0";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
