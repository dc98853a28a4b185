package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4: within stale-while-revalidate every caller gets the stale value at once while one background refresh
 * runs; a refresh that throws never reaches a caller that has a usable stale value. Before, a caller of a Redis-only
 * rule joined the background refresh, waited for it, and got its exception.
 */
class WaitersTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;
  private final ExecutorService others = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    others.shutdownNow();
    tiers.close();
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void callersDuringAFailingBackgroundRefreshGetTheStaleValue(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).staleWhileRevalidate(Duration.ofMinutes(1))
        .loadTimeout(Duration.ofSeconds(30)), String.class);
    Method method = new Method(rule, String.class);
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    assertThat(method.call("k")).as("stale; the refresh is queued").isEqualTo("v1");
    assertThat(tiers.queuedRefreshes()).isEqualTo(1);

    Future<Object> during = others.submit(() -> method.callFromTask("k"));
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> during.isDone() || rule.metrics().coalescedWaits() > 0);
    method.behave((n, key) -> {
      throw new IllegalStateException("upstream down");
    });
    tiers.runRefreshes();

    assertThat(during.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(method.call("k")).isEqualTo("v1");
  }
}
