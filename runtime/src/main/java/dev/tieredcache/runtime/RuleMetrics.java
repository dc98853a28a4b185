package dev.tieredcache.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one rule, read by JMX, {@code stats <pid>} and the periodic log summary. */
public final class RuleMetrics {

  /** Counted on every memory hit: cheaper than a {@code LongAdder}, as exact. */
  final HitCounter freshHits = new HitCounter();
  final LongAdder staleHits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadErrors = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder staleOnError = new LongAdder();
  final LongAdder coalescedWaits = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder redisHits = new LongAdder();
  final LongAdder redisErrors = new LongAdder();
  final LongAdder backplaneIn = new LongAdder();
  final LongAdder backplaneOut = new LongAdder();
  /** Of the hits above, those answered with a value this call read from Redis in a rule that also has memory. */
  final LongAdder redisFreshHits = new LongAdder();
  final LongAdder redisStaleHits = new LongAdder();
  /** Upstream calls, foreground or background, that returned (the failures are {@link #loadErrors}). */
  final LongAdder loadSuccesses = new LongAdder();
  final LoadDurations loadDurations = new LoadDurations();
  /** Values that loads and refreshes wrote to the rule's tiers. */
  final LongAdder puts = new LongAdder();
  /**
   * Whether callers are being served stale values on the upstream's errors: {@link #NOT_SERVING_STALE}, or an episode
   * whose start was logged ({@link #SERVING_STALE_LOGGED}) or not ({@link #SERVING_STALE_QUIETLY}).
   */
  final AtomicInteger servingStaleOnError = new AtomicInteger();
  static final int NOT_SERVING_STALE = 0;
  static final int SERVING_STALE_LOGGED = 1;
  static final int SERVING_STALE_QUIETLY = 2;
  /** Before this time (clock millis) a new episode of serving stale on errors is not logged, only counted. */
  volatile long staleEpisodeLogAllowedAt;
  /** Episodes not logged since the last one that was. */
  final AtomicInteger quietStaleEpisodes = new AtomicInteger();

  public long freshHits() { return freshHits.sum(); }
  public long staleHits() { return staleHits.sum(); }
  public long misses() { return misses.sum(); }
  /** Upstream calls made on a caller's thread (cold loads and stale-if-error refreshes). */
  public long loads() { return loads.sum(); }
  /** Upstream calls, foreground or background, that threw. */
  public long loadErrors() { return loadErrors.sum(); }
  /** Background refreshes started (stale-while-revalidate and refresh-ahead). */
  public long refreshes() { return refreshes.sum(); }
  /** Calls answered with a stale value because the upstream failed or was too slow. */
  public long staleOnError() { return staleOnError.sum(); }
  /** Calls that waited for another caller's in-flight load of the same key. */
  public long coalescedWaits() { return coalescedWaits.sum(); }
  public long evictions() { return evictions.sum(); }
  public long redisHits() { return redisHits.sum(); }
  public long redisErrors() { return redisErrors.sum(); }
  public long backplaneIn() { return backplaneIn.sum(); }
  public long backplaneOut() { return backplaneOut.sum(); }
  /**
   * Fresh hits answered with a value read from Redis by a rule that keeps values in memory too (its memory tier
   * missed). A rule without a memory tier counts every hit here as a Redis hit, but only in {@link #freshHits}.
   */
  public long redisFreshHits() { return redisFreshHits.sum(); }
  /** Stale hits answered with a value read from Redis, as {@link #redisFreshHits} counts fresh ones. */
  public long redisStaleHits() { return redisStaleHits.sum(); }
  /** Upstream calls, foreground or background, that returned a value; with {@link #loadErrors}, every ended load. */
  public long loadSuccesses() { return loadSuccesses.sum(); }
  /** How long the upstream calls that ended took, foreground and background, returned or thrown. */
  public LoadDurations loadDurations() { return loadDurations; }
  /**
   * Values that loads and refreshes wrote to the rule's tiers; a load whose key was evicted while it ran, or a
   * {@code null} the rule does not cache, writes nothing.
   */
  public long puts() { return puts.sum(); }

  /** Every counter by its name as shown to operators, in a stable order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("hits.fresh", freshHits());
    m.put("hits.stale", staleHits());
    m.put("misses", misses());
    m.put("loads", loads());
    m.put("load.errors", loadErrors());
    m.put("refreshes", refreshes());
    m.put("stale.on.error", staleOnError());
    m.put("coalesced.waits", coalescedWaits());
    m.put("evictions", evictions());
    m.put("redis.hits", redisHits());
    m.put("redis.errors", redisErrors());
    m.put("backplane.in", backplaneIn());
    m.put("backplane.out", backplaneOut());
    m.put("hits.fresh.redis", redisFreshHits());
    m.put("hits.stale.redis", redisStaleHits());
    m.put("load.successes", loadSuccesses());
    m.put("load.time.ms", loadDurations.sum().toMillis());
    return m;
  }
}
