package dev.tieredcache.runtime.redistier;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances ("JVMs") of one test, all on the same Redis deployment under namespace {@code t}; closed after
 * the test. Two instances share nothing but Redis.
 */
final class Instances implements AutoCloseable {

  static final String NAMESPACE = "t";

  private final RedisConfig redis;
  private final List<TieredCache> open = new ArrayList<>();

  Instances(RedisConfig redis) {
    this.redis = redis;
  }

  /** A rule named {@code r} without jitter (state boundaries are exact): ttl 10 s, swr 1 min, sie 1 h. */
  static RulePolicy.Builder policy() {
    return RulePolicy.builder().name("r").jitter(0.0).ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1)).staleIfError(Duration.ofHours(1));
  }

  TieredCache open(String instanceId, CacheClock clock) {
    TieredCache cache = TieredCache.builder().clock(clock).namespace(NAMESPACE).instanceId(instanceId).redis(redis)
        .build();
    open.add(cache);
    return cache;
  }

  /** Adds {@code policy} to {@code cache} and binds it to values of {@code type}, as the agent does. */
  static RuleCache rule(TieredCache cache, RulePolicy.Builder policy, Type type) {
    RuleCache rule = cache.addRule(policy.build());
    rule.bindValueType(type, Instances.class.getClassLoader());
    return rule;
  }

  @Override
  public void close() {
    for (TieredCache cache : open) {
      cache.close();
    }
    open.clear();
  }
}
