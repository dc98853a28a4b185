package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4: {@code null} is cached when cache-nulls is true; when it is false, a load or refresh that returns null
 * removes the key from every tier and the caller gets null. Before, a refresh returning null removed only the
 * memory copy, and the old value kept coming back from Redis.
 */
class CacheNullsTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;

  @AfterEach
  void close() {
    tiers.close();
  }

  private Method method(TierSetting setting, boolean cacheNulls, Duration swr) {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).staleWhileRevalidate(swr).cacheNulls(cacheNulls),
        String.class);
    return new Method(rule, String.class);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aRefreshOnTheCallersThreadReturningNullRemovesTheKeyFromEveryTier(TierSetting setting) throws Throwable {
    Method method = method(setting, false, Duration.ZERO);
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.behave((n, key) -> n == 2 ? null : "v" + n);

    assertThat(method.call("k")).as("the refresh returned null").isNull();
    tiers.flush();

    for (int i = 0; i < 3; i++) {
      assertThat(method.call("k")).as("call %d after the null", i).isEqualTo("v" + (3 + i));
      tiers.clock.advance(TTL.plusSeconds(1));
    }
    tiers.flush();
    if (setting.usesRedis()) {
      try (redis.clients.jedis.Jedis jedis = Tiers.jedis()) {
        assertThat(jedis.exists("t:r:k")).as("Redis holds the value loaded after the null").isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aBackgroundRefreshReturningNullRemovesTheKeyFromEveryTier(TierSetting setting) throws Throwable {
    Method method = method(setting, false, Duration.ofMinutes(1));
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.behave((n, key) -> n == 2 ? null : "v" + n);

    assertThat(method.call("k")).as("stale, while the refresh runs").isEqualTo("v1");
    tiers.runRefreshes();
    tiers.flush();

    assertThat(method.call("k")).as("after the refresh returned null: loaded again").isEqualTo("v3");
    assertThat(method.calls()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aCachedNullIsServedWithoutCallingTheUpstream(TierSetting setting) throws Throwable {
    Method method = method(setting, true, Duration.ZERO);
    method.behave((n, key) -> n == 1 ? null : "v" + n);

    assertThat(method.call("k")).isNull();
    tiers.flush();
    assertThat(method.call("k")).isNull();
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aColdLoadReturningNullIsNotCachedAndLoadsAgain(TierSetting setting) throws Throwable {
    Method method = method(setting, false, Duration.ZERO);
    method.behave((n, key) -> n == 1 ? null : "v" + n);

    assertThat(method.call("k")).isNull();
    tiers.flush();
    assertThat(method.call("k")).isEqualTo("v2");
  }
}
