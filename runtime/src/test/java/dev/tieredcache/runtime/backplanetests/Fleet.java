package dev.tieredcache.runtime.backplanetests;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Several instances of one application in this JVM, each a {@link TieredCache} of its own with the backplane on,
 * sharing one Redis deployment, one namespace and one {@link ProductTable}. Close it after each test.
 */
final class Fleet implements AutoCloseable {

  /** Long enough that nothing turns stale by itself during a test. */
  static final Duration TTL = Duration.ofMinutes(5);
  /** Generous for a loaded build machine, so a slow moment is not taken for a Redis failure. */
  static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

  final ProductTable table = new ProductTable();
  final String namespace = "bp-" + UUID.randomUUID().toString().substring(0, 8);
  private final RedisConfig redis;
  private final List<Instance> instances = new ArrayList<>();

  Fleet(RedisConfig redis) {
    this.redis = redis;
  }

  static Fleet onServer(String url) {
    return new Fleet(RedisConfig.url(url, REDIS_TIMEOUT));
  }

  /** Rule "product" with a long ttl and no jitter, in memory and Redis. */
  static RulePolicy.Builder memoryAndRedis() {
    return RulePolicy.builder().name("product").ttl(TTL).jitter(0.0)
        .tiers(List.of(RulePolicy.TierKind.MEMORY, RulePolicy.TierKind.REDIS));
  }

  /** Rule "product" with a long ttl and no jitter, in memory only (the backplane still runs over Redis). */
  static RulePolicy.Builder memoryOnly() {
    return memoryAndRedis().tiers(List.of(RulePolicy.TierKind.MEMORY));
  }

  Instance start(String name, RulePolicy.Builder policy) {
    return start(name, policy, (CacheClock) null, redis);
  }

  Instance start(String name, RulePolicy.Builder policy, CacheClock clock) {
    return start(name, policy, clock, redis);
  }

  /** Starts an instance connected as {@code redis} says (another node of the same deployment). */
  Instance start(String name, RulePolicy.Builder policy, RedisConfig redis) {
    return start(name, policy, (CacheClock) null, redis);
  }

  /** Starts an instance and waits until its backplane is subscribed, so no message is missed from then on. */
  private Instance start(String name, RulePolicy.Builder policy, CacheClock clock, RedisConfig redis) {
    TieredCache.Builder builder = TieredCache.builder().namespace(namespace).instanceId(name + "-" + UUID.randomUUID())
        .redis(redis).backplane(true);
    if (clock != null) {
      builder.clock(clock);
    }
    TieredCache cache = builder.build();
    RuleCache rule = cache.addRule(policy.build());
    rule.bindValueType(String.class, getClass().getClassLoader());
    Instance instance = new Instance(name, cache, rule, table);
    instances.add(instance);
    eventually().until(() -> instance.backplane().isSubscribed());
    return instance;
  }

  /** Polls real threads (subscribers, writers), up to 20 s. */
  static ConditionFactory eventually() {
    return eventually(Duration.ofSeconds(20));
  }

  static ConditionFactory eventually(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  @Override
  public void close() {
    for (Instance instance : instances) {
      instance.cache.close();
    }
  }
}
