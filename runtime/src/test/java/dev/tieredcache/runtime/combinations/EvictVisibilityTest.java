package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;

/**
 * SPEC §4: when an evicting method returns, no later call in that instance gets an evicted value, whatever Redis
 * has applied yet. The Redis delete goes through the ordered writer; here the old value is put back in Redis after
 * the evict, as if the delete had not landed yet. Before, a read in between put the old value back into memory.
 */
class EvictVisibilityTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final byte[] KEY = "t:r:k".getBytes(StandardCharsets.UTF_8);

  private Tiers tiers;
  private RuleCache rule;
  private Method method;

  @AfterEach
  void close() {
    tiers.close();
  }

  /** Loads v1 everywhere and returns the bytes Redis holds for it (none for a memory-only rule). */
  private byte[] loaded(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    rule = tiers.rule(RulePolicy.builder().ttl(TTL), String.class);
    method = new Method(rule, String.class);
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    try (Jedis jedis = Tiers.jedis()) {
      return setting.usesRedis() ? jedis.get(KEY) : null;
    }
  }

  /** The evicted value is still (or again) in Redis: the delete has not been applied yet. */
  private void deleteNotAppliedYet(byte[] old) {
    if (old != null) {
      tiers.flush();
      try (Jedis jedis = Tiers.jedis()) {
        jedis.set(KEY, old);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aReadAfterAnEvictNeverGetsTheEvictedValue(TierSetting setting) throws Throwable {
    byte[] old = loaded(setting);

    rule.evict("k");
    deleteNotAppliedYet(old);

    assertThat(method.call("k")).isEqualTo("v2");
    tiers.flush();
    assertThat(method.call("k")).as("the value loaded after the evict is served").isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aReadAfterAnEvictAllNeverGetsAnEvictedValue(TierSetting setting) throws Throwable {
    byte[] old = loaded(setting);

    rule.evictAll();
    deleteNotAppliedYet(old);

    assertThat(method.call("k")).isEqualTo("v2");
    tiers.flush();
    assertThat(method.call("k")).isEqualTo("v2");
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY_AND_REDIS", "REDIS"})
  void aValueWrittenByAnotherInstanceAfterTheEvictIsServed(TierSetting setting) throws Throwable {
    loaded(setting);
    rule.evict("k");
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));
    Tiers other = tiers.another();
    try {
      other.clock.advance(Duration.ofMillis(100)); // after the evict, and within the clock skew the runtime accepts
      Method elsewhere = new Method(other.rule(RulePolicy.builder().ttl(TTL), String.class), String.class)
          .behave((n, key) -> "from the other instance");
      assertThat(elsewhere.call("k")).isEqualTo("from the other instance");
      other.flush();

      assertThat(method.call("k")).isEqualTo("from the other instance");
      assertThat(method.calls()).isEqualTo(1);
    } finally {
      other.close();
    }
  }
}
