package dev.tieredcache.agent.prometheus;

import dev.tieredcache.runtime.LoadDurations;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RuleMetrics;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The page a Prometheus scrape of {@code /metrics} gets: the counters of every caching rule of a {@link TieredCache},
 * read at the moment of the scrape, under the {@code tiered_cache_} names. Rules are told apart by the {@code rule}
 * label only: no key, no instance id.
 */
final class CacheMetricsPage {

  private CacheMetricsPage() {}

  /** The page for {@code cache}, in the text exposition format. */
  static String of(TieredCache cache) {
    List<Reading> rules = new ArrayList<>();
    for (RuleCache rule : cache.rules()) {
      rules.add(new Reading(rule));
    }
    TextExposition page = new TextExposition();
    hits(page, rules);
    perRule(page, rules, "tiered_cache_misses_total", "Calls that found no usable value in any tier.",
        r -> r.misses);
    page.family("tiered_cache_loads_total", "counter",
        "Calls of the original method that ended, on a caller's thread or in the background, by result.");
    for (Reading r : rules) {
      page.sample("tiered_cache_loads_total", r.loadSuccesses, "rule", r.name, "result", "success");
      page.sample("tiered_cache_loads_total", r.loadErrors, "rule", r.name, "result", "failure");
    }
    page.family("tiered_cache_load_duration_seconds", "histogram",
        "How long the calls of the original method took, returned or thrown, foreground and background.");
    for (Reading r : rules) {
      page.histogram("tiered_cache_load_duration_seconds", LoadDurations.BOUNDS, r.loadBuckets, r.loadSum,
          "rule", r.name);
    }
    perRule(page, rules, "tiered_cache_stale_on_error_total",
        "Calls answered with a stale value because the original method failed or was too slow.", r -> r.staleOnError);
    perRule(page, rules, "tiered_cache_coalesced_total",
        "Calls that waited for another caller's load of the same key instead of calling the method.",
        r -> r.coalesced);
    perRule(page, rules, "tiered_cache_refreshes_total",
        "Background refreshes started (stale-while-revalidate and refresh-ahead).", r -> r.refreshes);
    perRule(page, rules, "tiered_cache_evictions_total",
        "Evictions of one key or of all keys, by evict rules here or on other instances.", r -> r.evictions);
    page.family("tiered_cache_entries", "gauge", "Entries in the rule's memory tier now.");
    for (Reading r : rules) {
      page.sample("tiered_cache_entries", r.entries, "rule", r.name);
    }
    long redisErrors = 0;
    long backplaneIn = 0;
    long backplaneOut = 0;
    for (Reading r : rules) {
      redisErrors += r.redisErrors;
      backplaneIn += r.backplaneIn;
      backplaneOut += r.backplaneOut;
    }
    page.family("tiered_cache_redis_errors_total", "counter",
        "Redis calls of the rules in place that failed or timed out; the calls went on without Redis.");
    page.sample("tiered_cache_redis_errors_total", redisErrors);
    page.family("tiered_cache_circuit_open", "gauge",
        "1 while the circuit breaker keeps calls away from Redis, else 0 (also without Redis).");
    page.sample("tiered_cache_circuit_open", cache.redis().map(RedisConnection::isCircuitOpen).orElse(false) ? 1 : 0);
    page.family("tiered_cache_backplane_messages_total", "counter",
        "Backplane messages of the rules in place: applied from other instances (in), published (out).");
    page.sample("tiered_cache_backplane_messages_total", backplaneIn, "direction", "in");
    page.sample("tiered_cache_backplane_messages_total", backplaneOut, "direction", "out");
    page.family("tiered_cache_tag_evictions_total", "counter",
        "Evicts of a tag (evict: {tag: ...}): made in this instance (local), applied from other instances (remote).");
    page.sample("tiered_cache_tag_evictions_total", cache.tagEvictions(), "origin", "local");
    page.sample("tiered_cache_tag_evictions_total", cache.remoteTagEvictions(), "origin", "remote");
    return page.text();
  }

  /**
   * Hits by state and tier. A rule without a memory tier reads every value from Redis; one with both counts the
   * values it read from Redis after memory missed.
   */
  private static void hits(TextExposition page, List<Reading> rules) {
    page.family("tiered_cache_hits_total", "counter",
        "Calls answered from the cache, by the state of the value and the tier it came from.");
    for (Reading r : rules) {
      String n = "tiered_cache_hits_total";
      page.sample(n, r.freshHits - r.redisFreshHits, "rule", r.name, "state", "fresh", "tier", "memory");
      page.sample(n, r.staleHits - r.redisStaleHits, "rule", r.name, "state", "stale", "tier", "memory");
      page.sample(n, r.redisFreshHits, "rule", r.name, "state", "fresh", "tier", "redis");
      page.sample(n, r.redisStaleHits, "rule", r.name, "state", "stale", "tier", "redis");
    }
  }

  private interface Count {
    long of(Reading r);
  }

  private static void perRule(TextExposition page, Collection<Reading> rules, String name, String help, Count count) {
    page.family(name, "counter", help);
    for (Reading r : rules) {
      page.sample(name, count.of(r), "rule", r.name);
    }
  }

  /** The counters of one rule, each read once, so that the samples of a scrape agree with each other. */
  private static final class Reading {
    final String name;
    final long redisFreshHits;
    final long redisStaleHits;
    final long freshHits;
    final long staleHits;
    final long misses;
    final long loadErrors;
    final long loadSuccesses;
    final long[] loadBuckets;
    final java.time.Duration loadSum;
    final long staleOnError;
    final long coalesced;
    final long refreshes;
    final long evictions;
    final long entries;
    final long redisErrors;
    final long backplaneIn;
    final long backplaneOut;

    Reading(RuleCache rule) {
      RuleMetrics m = rule.metrics();
      this.name = rule.name();
      boolean inMemory = rule.policy().usesTier(RulePolicy.TierKind.MEMORY);
      // the Redis part first: a hit counts in the total before it counts as a Redis one
      long fromRedisFresh = m.redisFreshHits();
      long fromRedisStale = m.redisStaleHits();
      this.freshHits = m.freshHits();
      this.staleHits = m.staleHits();
      this.redisFreshHits = inMemory ? Math.min(fromRedisFresh, freshHits) : freshHits;
      this.redisStaleHits = inMemory ? Math.min(fromRedisStale, staleHits) : staleHits;
      this.misses = m.misses();
      this.loadBuckets = m.loadDurations().cumulativeCounts();
      this.loadSum = m.loadDurations().sum();
      this.loadErrors = m.loadErrors();
      this.loadSuccesses = m.loadSuccesses();
      this.staleOnError = m.staleOnError();
      this.coalesced = m.coalescedWaits();
      this.refreshes = m.refreshes();
      this.evictions = m.evictions();
      this.entries = rule.memorySize();
      this.redisErrors = m.redisErrors();
      this.backplaneIn = m.backplaneIn();
      this.backplaneOut = m.backplaneOut();
    }
  }
}
