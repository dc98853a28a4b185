package dev.tieredcache.runtime;

import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisWriter;

/** Makes the Redis tier of each rule over one shared connection and writer. */
final class SharedTierFactory {

  private final RedisConnection redis;
  private final RedisWriter writer;
  private final String namespace;
  private final String instanceId;

  SharedTierFactory(RedisConnection redis, RedisWriter writer, String namespace, String instanceId) {
    this.redis = redis;
    this.writer = writer;
    this.namespace = namespace;
    this.instanceId = instanceId;
  }

  RedisTier create(RulePolicy policy, RuleMetrics metrics, CacheClock clock) {
    return new RedisTier(redis, writer, namespace, policy, clock, metrics, instanceId);
  }
}
