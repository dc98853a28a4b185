package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisSentinelGroup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SPEC §3 {@code redis: sentinel:}: the Redis tier follows the master that the sentinels name, across a failover.
 * The circuit breaker runs on real time while the master is down, so this test uses the wall clock.
 */
class RedisSentinelTierTest {

  private static final CacheClock WALL = System::currentTimeMillis;

  private static RedisSentinelGroup group;

  @BeforeAll
  static void startGroup() {
    group = RedisSentinelGroup.start();
  }

  @AfterAll
  static void stopGroup() {
    group.close();
  }

  @Test
  void valuesAreSharedThroughTheMasterBeforeAndAfterAFailover() throws Throwable {
    try (Instances instances = new Instances(
        RedisConfig.sentinel(group.masterName(), group.sentinelNodes(), Duration.ofMillis(200)))) {
      Caller a = new Caller(Instances.rule(instances.open("a", WALL), Instances.policy(), String.class),
          new CountedMethod().returning((call, key) -> "value of " + key));
      CountedMethod methodB = new CountedMethod();
      Caller b = new Caller(Instances.rule(instances.open("b", WALL), Instances.policy(), String.class), methodB);

      a.call("before");
      awaitOnMaster("t:r:before");
      assertThat(b.begin("before")).isEqualTo("value of before");
      assertThat(methodB.calls()).isZero();

      group.failover();

      AtomicInteger attempt = new AtomicInteger();
      AtomicReference<String> landed = new AtomicReference<>();
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String key = "after-" + attempt.incrementAndGet();
        try {
          assertThat(a.call(key)).isEqualTo("value of " + key);
        } catch (Throwable t) {
          throw new AssertionError(t);
        }
        try (Jedis master = new Jedis(group.master().hostAndPort())) {
          for (int i = attempt.get(); i >= 1; i--) {
            if (master.exists("t:r:after-" + i)) {
              landed.set("after-" + i);
              return true;
            }
          }
          return false;
        }
      });
      // B reads what A wrote to the new master; a read that fails while B's client catches up is abandoned (no
      // upstream call, nothing stored) and tried again
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        Object answer = b.begin(landed.get());
        if (answer instanceof Load) {
          b.abandon((Load) answer);
          return false;
        }
        assertThat(answer).isEqualTo("value of " + landed.get());
        return true;
      });
      assertThat(methodB.calls()).isZero();
    }
  }

  private static void awaitOnMaster(String redisKey) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (Jedis master = new Jedis(group.master().hostAndPort())) {
        return master.exists(redisKey);
      }
    });
  }
}
