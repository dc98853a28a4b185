package dev.tieredcache.agent.jmx;

import dev.tieredcache.runtime.LoadDurations;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RuleMetrics;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@link RuleMBean} over one rule's cache; reads its counters on every call, holds nothing else. */
final class RuleStatistics implements RuleMBean {

  private final RuleCache rule;
  private final RuleMetrics metrics;
  private final String method;

  RuleStatistics(RuleCache rule, String method) {
    this.rule = rule;
    this.metrics = rule.metrics();
    this.method = method;
  }

  @Override
  public String getName() {
    return rule.name();
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getTiers() {
    return rule.policy().tiers().stream().map(t -> t.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  @Override
  public long getFreshHits() {
    return metrics.freshHits();
  }

  @Override
  public long getStaleHits() {
    return metrics.staleHits();
  }

  @Override
  public long getMisses() {
    return metrics.misses();
  }

  @Override
  public long getLoads() {
    return metrics.loads();
  }

  @Override
  public long getLoadErrors() {
    return metrics.loadErrors();
  }

  @Override
  public long getStaleOnError() {
    return metrics.staleOnError();
  }

  @Override
  public long getCoalescedWaits() {
    return metrics.coalescedWaits();
  }

  @Override
  public long getRefreshes() {
    return metrics.refreshes();
  }

  @Override
  public long getEvictions() {
    return metrics.evictions();
  }

  @Override
  public long getRedisHits() {
    return metrics.redisHits();
  }

  @Override
  public long getRedisErrors() {
    return metrics.redisErrors();
  }

  @Override
  public long getBackplaneIn() {
    return metrics.backplaneIn();
  }

  @Override
  public long getBackplaneOut() {
    return metrics.backplaneOut();
  }

  @Override
  public long getMemoryEntries() {
    return rule.memorySize();
  }

  @Override
  public long getRedisFreshHits() {
    return metrics.redisFreshHits();
  }

  @Override
  public long getRedisStaleHits() {
    return metrics.redisStaleHits();
  }

  @Override
  public long getLoadSuccesses() {
    return metrics.loadSuccesses();
  }

  @Override
  public double getLoadSeconds() {
    return metrics.loadDurations().sum().toNanos() / 1e9;
  }

  @Override
  public double getLoadAverageMillis() {
    LoadDurations took = metrics.loadDurations();
    long count = took.count();
    return count == 0 ? 0 : took.sum().toNanos() / 1e6 / count;
  }

  @Override
  public double[] getLoadDurationBounds() {
    return LoadDurations.BOUNDS.stream().mapToDouble(b -> b.toNanos() / 1e9).toArray();
  }

  @Override
  public long[] getLoadDurationBuckets() {
    return metrics.loadDurations().cumulativeCounts();
  }
}
