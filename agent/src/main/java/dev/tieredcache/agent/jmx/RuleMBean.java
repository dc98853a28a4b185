package dev.tieredcache.agent.jmx;

/**
 * What one caching rule does, as read-only JMX attributes of {@code dev.tieredcache:type=Rule,name=<rule>}. Counters
 * count since the rule was loaded.
 */
public interface RuleMBean {

  /** The rule's name in the rules file. */
  String getName();

  /** The method pattern the rule names, as written in the file. */
  String getMethod();

  /** The tiers its values are kept in: {@code memory}, {@code redis} or {@code memory, redis}. */
  String getTiers();

  /** Calls answered with a fresh value (from memory or Redis). */
  long getFreshHits();

  /** Calls answered with a stale value (stale-while-revalidate, or the stale fallback of a failed refresh). */
  long getStaleHits();

  /** Calls that found no usable value and loaded one. */
  long getMisses();

  /** Calls of the original method on a caller's thread (cold loads and stale-if-error refreshes). */
  long getLoads();

  /** Calls of the original method, foreground or background, that threw. */
  long getLoadErrors();

  /** Calls answered with a stale value because the original method failed or was too slow. */
  long getStaleOnError();

  /** Calls that waited for another caller's load of the same key instead of calling the method. */
  long getCoalescedWaits();

  /** Background refreshes started (stale-while-revalidate and refresh-ahead). */
  long getRefreshes();

  /** Evictions of one key or of all keys, by evict rules here or on other instances. */
  long getEvictions();

  /** Values found in Redis. */
  long getRedisHits();

  /** Redis calls that failed or timed out (the caller went on without Redis). */
  long getRedisErrors();

  /** Backplane messages from other instances applied to this rule. */
  long getBackplaneIn();

  /** Backplane messages this instance published for this rule. */
  long getBackplaneOut();

  /** Entries in this rule's memory tier now. */
  long getMemoryEntries();

  /** Of {@link #getFreshHits}, those answered from Redis after the memory tier missed (rules with both tiers). */
  long getRedisFreshHits();

  /** Of {@link #getStaleHits}, those answered from Redis after the memory tier missed (rules with both tiers). */
  long getRedisStaleHits();

  /** Calls of the original method, foreground or background, that returned; with LoadErrors, every ended load. */
  long getLoadSuccesses();

  /** The time the ended calls of the original method took together, in seconds. */
  double getLoadSeconds();

  /** The mean time of an ended call of the original method, in milliseconds; 0 before the first. */
  double getLoadAverageMillis();

  /** The upper bounds, in seconds, of the load-duration buckets of {@link #getLoadDurationBuckets}. */
  double[] getLoadDurationBounds();

  /**
   * Ended loads that took at most each bound of {@link #getLoadDurationBounds} (cumulative), then all ended loads.
   */
  long[] getLoadDurationBuckets();
}
