package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.EntryState;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscription whose connection stays open but stops answering (a partition that sends no reset; here: Redis
 * stopped with SIGSTOP) is noticed by its unanswered PING, dropped and made again; what the instance held is then
 * revalidated, since invalidations may have been missed.
 */
class SubscriptionKeepaliveTest {

  @Test
  void aSubscriptionThatStopsAnsweringIsReplacedAndWhatWasHeldIsMarkedStale() throws Exception {
    try (RedisServer redis = RedisServer.start();
        TieredCache cache = TieredCache.builder().namespace("keepalive").instanceId("b")
            .redis(RedisConfig.url(redis.url(), Fleet.REDIS_TIMEOUT)).backplane(true)
            .backplaneKeepalive(Duration.ofMillis(200)).build()) {
      RuleCache rule = cache.addRule(RulePolicy.builder().name("r").ttl(Duration.ofMinutes(5)).jitter(0.0)
          .tiers(List.of(RulePolicy.TierKind.MEMORY)).build());
      Backplane backplane = cache.backplane().orElseThrow();
      eventually().until(backplane::isSubscribed);
      Object begun = rule.begin("k", null, null, "k");
      assertThat(begun).isInstanceOf(Load.class);
      rule.complete((Load) begun, "v1", null);
      assertThat(rule.peek("k").state(cache.clock().millis())).isEqualTo(EntryState.FRESH);
      long reconnectsBefore = backplane.reconnects();

      redis.pause();
      try {
        eventually(Duration.ofSeconds(5)).until(() -> !backplane.isSubscribed());
      } finally {
        redis.resume();
      }

      eventually().until(() -> backplane.isSubscribed() && backplane.reconnects() > reconnectsBefore);
      assertThat(rule.peek("k").state(cache.clock().millis())).isNotEqualTo(EntryState.FRESH);
      assertThat(rule.peek("k").value()).as("kept as a fallback").isEqualTo("v1");
    }
  }
}
