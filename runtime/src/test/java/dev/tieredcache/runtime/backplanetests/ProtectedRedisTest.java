package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisSentinelGroup;
import dev.tieredcache.runtime.testredis.RedisServer;
import org.junit.jupiter.api.Test;

/** The backplane's subscriber connection logs in like every other connection: ACL user, Sentinel passwords. */
class ProtectedRedisTest {

  private static final String PASSWORD = "S3cr/et@pw with space";

  @Test
  void evictionsReachTheOtherInstanceOverAServerWithAnAclUser() {
    try (RedisServer server = RedisServer.builder().aclUser("app", PASSWORD).start();
        Fleet fleet = new Fleet(RedisConfig.url(server.url(), Fleet.REDIS_TIMEOUT).withCredentials("app", PASSWORD))) {
      evictionReachesTheOther(fleet);
    }
  }

  @Test
  void evictionsReachTheOtherInstanceOverAPasswordProtectedSentinelGroup() {
    try (RedisSentinelGroup group = RedisSentinelGroup.startWithPasswords(PASSWORD, "sentinel-" + PASSWORD);
        Fleet fleet = new Fleet(RedisConfig.sentinel(group.masterName(), group.sentinelNodes(), Fleet.REDIS_TIMEOUT)
            .withCredentials(null, PASSWORD).withSentinelPassword("sentinel-" + PASSWORD))) {
      evictionReachesTheOther(fleet);
    }
  }

  /** Both instances subscribe (start waits for it), share a value through Redis, and see an eviction. */
  private static void evictionReachesTheOther(Fleet fleet) {
    Instance a = fleet.start("A", Fleet.memoryAndRedis());
    Instance b = fleet.start("B", Fleet.memoryAndRedis());
    fleet.table.update("k", "kettle");
    assertThat(a.read("k")).isEqualTo("kettle");
    eventually().until(() -> b.backplane().received() == 1);
    assertThat(b.read("k")).isEqualTo("kettle");
    assertThat(b.loads()).as("B found A's value in Redis").isZero();

    fleet.table.update("k", "steel kettle");
    a.rule.evict("k");
    eventually().until(() -> b.held("k") == null);
    assertThat(b.read("k")).isEqualTo("steel kettle");
  }
}
