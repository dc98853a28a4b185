package dev.tieredcache.agent.micrometer;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RuleMetrics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One meter that every caching rule gets in a host's Micrometer registry: its name, its kind, the tags it adds to
 * {@code cache=<rule>} and {@code cache.manager=tiered-cache}, and what it reads from the rule. Each one reads the
 * rule's counters when the registry is scraped, never on a call. Nothing here touches Micrometer.
 *
 * <p>The {@code cache.*} meters have the names and tag keys of Micrometer's own cache binders as Spring Boot binds
 * them ({@code cache}, {@code cache.manager}, {@code name}, and {@code result} on {@code cache.gets}), and no base
 * unit, so that a registry which insists on one set of tag keys per name (Prometheus) takes the application's own
 * cache meters and these side by side.
 */
final class RuleMeter {

  /** The value of the {@code cache.manager} tag of every meter of the agent. */
  static final String CACHE_MANAGER = "tiered-cache";

  /** How the registry reads the value. */
  enum Kind {
    /** A monotonic count ({@code FunctionCounter}). */
    COUNTER,
    /** A value that goes up and down ({@code Gauge}). */
    GAUGE
  }

  // one description per name: a Prometheus registry shows one HELP line for every meter of a name
  private static final String GETS = "Calls answered from the cache (hit: a fresh or stale value) or not (miss)";
  private static final String HITS = "Calls answered from the cache, by the state of the value";
  private static final String LOADS = "Upstream calls (loads and background refreshes) that returned or threw";
  private static final String BACKPLANE = "Backplane messages received from (in) or published to (out) other"
      + " instances";

  /** Every rule's meters, in the order they are registered. */
  static final List<RuleMeter> ALL = List.of(
      counter("cache.gets", GETS, m -> m.freshHits() + m.staleHits(), "result", "hit"),
      counter("cache.gets", GETS, RuleMetrics::misses, "result", "miss"),
      counter("cache.puts", "Values that loads and refreshes wrote to the cache", RuleMetrics::puts),
      counter("cache.evictions", "Evictions by the rule's evict rules (a key or the whole rule)",
          RuleMetrics::evictions),
      new RuleMeter("cache.size", Kind.GAUGE, "Entries in the memory tier (approximate)",
          RuleCache::memorySize, new String[0]),
      counter("tiered.cache.hits", HITS, RuleMetrics::freshHits, "state", "fresh"),
      counter("tiered.cache.hits", HITS, RuleMetrics::staleHits, "state", "stale"),
      counter("tiered.cache.loads", LOADS, RuleMetrics::loadSuccesses, "result", "success"),
      counter("tiered.cache.loads", LOADS, RuleMetrics::loadErrors, "result", "failure"),
      counter("tiered.cache.refreshes", "Background refreshes started", RuleMetrics::refreshes),
      counter("tiered.cache.stale.on.error", "Calls answered with a stale value because the upstream failed",
          RuleMetrics::staleOnError),
      counter("tiered.cache.coalesced", "Calls that waited for another caller's load of the same key",
          RuleMetrics::coalescedWaits),
      counter("tiered.cache.redis.hits", "Values read from Redis", RuleMetrics::redisHits),
      counter("tiered.cache.redis.errors", "Redis reads and lock calls of the rule that failed",
          RuleMetrics::redisErrors),
      counter("tiered.cache.backplane.messages", BACKPLANE, RuleMetrics::backplaneIn, "direction", "in"),
      counter("tiered.cache.backplane.messages", BACKPLANE, RuleMetrics::backplaneOut, "direction", "out"));

  final String name;
  final Kind kind;
  final String description;
  /** What the meter reads from the rule (its cache, home of its partitions). */
  final ToDoubleFunction<RuleCache> reads;
  private final String[] extraTags;

  private RuleMeter(String name, Kind kind, String description, ToDoubleFunction<RuleCache> reads,
      String[] extraTags) {
    this.name = name;
    this.kind = kind;
    this.description = description;
    this.reads = reads;
    this.extraTags = extraTags;
  }

  private static RuleMeter counter(String name, String description, ToDoubleFunction<RuleMetrics> counts,
      String... extraTags) {
    return new RuleMeter(name, Kind.COUNTER, description, rule -> counts.applyAsDouble(rule.metrics()), extraTags);
  }

  /**
   * The tags of this meter for {@code rule}, as Micrometer's {@code tags(String...)} takes them: key, value, ... A
   * {@code cache.*} meter also has {@code name=<rule>}, as Spring Boot tags its own (it keeps that older tag beside
   * {@code cache}).
   */
  String[] tags(String rule) {
    boolean standard = name.startsWith("cache.");
    String[] tags = new String[(standard ? 6 : 4) + extraTags.length];
    tags[0] = "cache";
    tags[1] = rule;
    tags[2] = "cache.manager";
    tags[3] = CACHE_MANAGER;
    if (standard) {
      tags[4] = "name";
      tags[5] = rule;
    }
    System.arraycopy(extraTags, 0, tags, tags.length - extraTags.length, extraTags.length);
    return tags;
  }

  @Override
  public String toString() {
    return name + (extraTags.length == 0 ? "" : "{" + extraTags[0] + "=" + extraTags[1] + "}");
  }
}
