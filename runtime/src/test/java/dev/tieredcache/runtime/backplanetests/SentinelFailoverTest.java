package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.EntryState;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisSentinelGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With Sentinel, the backplane follows the master: after a failover it subscribes on the new one. */
class SentinelFailoverTest {

  @Test
  void afterAFailoverTheSubscriptionComesBackOnTheNewMasterAndMessagesApplyAgain() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start();
        Fleet fleet = new Fleet(RedisConfig.sentinel(group.masterName(), group.sentinelNodes(), Fleet.REDIS_TIMEOUT))) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      for (int i = 0; i < 10; i++) {
        assertThat(b.read("k" + i)).isEqualTo("k" + i + "@1");
      }
      InvalidationAcrossInstancesTest.awaitQuiet(a, b);
      a.rule.evict("k0");
      eventually().until(() -> b.held("k0") == null);

      long failingOver = System.nanoTime();
      group.failover();
      long promoted = System.nanoTime();
      eventually().until(() -> b.backplane().isSubscribed() && b.backplane().reconnects() >= 1);
      long resubscribed = System.nanoTime();
      System.out.println("[backplane] sentinel failover: promoted after "
          + Duration.ofNanos(promoted - failingOver).toMillis() + " ms, B subscribed again "
          + Duration.ofNanos(resubscribed - promoted).toMillis() + " ms later");

      long now = b.cache.clock().millis();
      for (int i = 1; i < 10; i++) {
        CacheEntry held = b.held("k" + i);
        assertThat(held == null ? EntryState.MISSING : held.state(now)).as("k%d in B after the gap", i)
            .isNotEqualTo(EntryState.FRESH);
      }
      // B's next read revalidates through the new master, and A's evictions reach B again
      fleet.table.update("k1", "k1@2");
      a.rule.evict("k1");
      assertThat(b.read("k1")).isEqualTo("k1@2");
      assertThat(b.read("k2")).isEqualTo("k2@1");
      assertThat(b.holdsFresh("k2")).isTrue();
      a.rule.evict("k2");
      eventually().until(() -> b.held("k2") == null);
      assertThat(b.backplane().malformed()).isZero();
    }
  }
}
