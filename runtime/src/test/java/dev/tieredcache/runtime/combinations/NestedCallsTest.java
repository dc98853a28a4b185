package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4: a load or refresh runs the original code, so an instrumented call of the same rule and key that it
 * reaches on its own thread (a proxy's target, a decorator's delegate, an override calling super) runs uncached.
 * Before the pass-through scope, a background refresh through a proxy found the stale entry at the target, and
 * stored it again as fresh: the new value never arrived.
 */
class NestedCallsTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;

  @AfterEach
  void close() {
    tiers.close();
  }

  private Method proxiedMethod(TierSetting setting, RulePolicy.Builder policy) {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(policy, String.class);
    return new Method(rule, String.class).behindProxy();
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aBackgroundRefreshThroughAProxyStoresTheNewValue(TierSetting setting) throws Throwable {
    Method method = proxiedMethod(setting, RulePolicy.builder().ttl(TTL).staleWhileRevalidate(Duration.ofMinutes(1)));
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));

    assertThat(method.call("k")).as("stale within stale-while-revalidate").isEqualTo("v1");
    tiers.runRefreshes();
    tiers.flush();

    assertThat(method.call("k")).as("after the refresh").isEqualTo("v2");
    assertThat(method.calls()).as("upstream calls: the load and one refresh").isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aRefreshAheadThroughAProxyStoresTheNewValue(TierSetting setting) throws Throwable {
    Method method = proxiedMethod(setting, RulePolicy.builder().ttl(TTL).refreshAhead(java.util.OptionalDouble.of(0.5)));
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(Duration.ofSeconds(6));

    assertThat(method.call("k")).as("fresh, past the refresh-ahead point").isEqualTo("v1");
    tiers.runRefreshes();
    tiers.flush();

    assertThat(method.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aLoadOnTheCallersThreadThroughAProxyCallsTheUpstreamOnceAndIsCached(TierSetting setting) throws Throwable {
    Method method = proxiedMethod(setting, RulePolicy.builder().ttl(TTL).staleWhileRevalidate(Duration.ZERO));
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));

    assertThat(method.call("k")).as("stale past stale-while-revalidate: refreshed on the caller's thread")
        .isEqualTo("v2");
    tiers.flush();
    assertThat(method.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(tiers.queuedRefreshes()).isZero();
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aNestedCallOfAnotherKeyIsCachedAsUsual(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL), String.class);
    Method inner = new Method(rule, String.class);
    Method outer = new Method(rule, String.class).behave((n, key) -> "outer+" + inner.call("inner"));

    assertThat(outer.call("k")).isEqualTo("outer+v1");
    tiers.flush();
    assertThat(inner.call("inner")).as("the inner key was cached by the nested call").isEqualTo("v1");
    assertThat(inner.calls()).isEqualTo(1);
  }
}
