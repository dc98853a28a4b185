package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4: failed refreshes are not retried before error-backoff has passed (doubling, capped at 5 min), and the
 * stale value is served meanwhile, for every tiers: setting. Before, a Redis-only rule retried on every call, and
 * with memory + Redis the backoff never doubled.
 */
class ErrorBackoffAcrossTiersTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration BACKOFF = Duration.ofSeconds(5);

  private Tiers tiers;

  @AfterEach
  void close() {
    tiers.close();
  }

  private Method failingAfterTheFirstLoad(TierSetting setting, Duration swr) throws Throwable {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).staleWhileRevalidate(swr)
        .staleIfError(Duration.ofHours(1)).errorBackoff(BACKOFF), String.class);
    Method method = new Method(rule, String.class);
    assertThat(method.call("k")).isEqualTo("v1");
    tiers.flush();
    method.behave((n, key) -> {
      throw new IllegalStateException("upstream down (call " + n + ")");
    });
    return method;
  }

  /** Calls {@code times} times without moving the clock; every call must serve the stale value v1. */
  private void callsServeStale(Method method, int times) throws Throwable {
    callsServe("v1", method, times);
  }

  private void callsServe(String stale, Method method, int times) throws Throwable {
    for (int i = 0; i < times; i++) {
      assertThat(method.call("k")).isEqualTo(stale);
      tiers.runRefreshes();
      tiers.flush();
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void failedRefreshesOnTheCallersThreadWaitForABackoffThatDoubles(TierSetting setting) throws Throwable {
    Method method = failingAfterTheFirstLoad(setting, Duration.ZERO);
    tiers.clock.advance(TTL.plusSeconds(1));

    callsServeStale(method, 5);
    assertThat(method.calls()).as("one attempt, then backing off 5 s").isEqualTo(2);

    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).as("a second attempt after 5 s, then backing off 10 s").isEqualTo(3);

    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).as("5 s later: still backing off (the backoff doubled)").isEqualTo(3);

    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).as("10 s after the second attempt: a third").isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void failedBackgroundRefreshesWaitForABackoffThatDoubles(TierSetting setting) throws Throwable {
    Method method = failingAfterTheFirstLoad(setting, Duration.ofMinutes(10));
    tiers.clock.advance(TTL.plusSeconds(1));

    callsServeStale(method, 5);
    assertThat(method.calls()).isEqualTo(2);
    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).isEqualTo(3);
    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).as("the backoff doubled to 10 s").isEqualTo(3);
    tiers.clock.advance(BACKOFF);
    callsServeStale(method, 5);
    assertThat(method.calls()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aSuccessfulRefreshEndsTheBackoff(TierSetting setting) throws Throwable {
    Method method = failingAfterTheFirstLoad(setting, Duration.ZERO);
    tiers.clock.advance(TTL.plusSeconds(1));
    callsServeStale(method, 1);
    method.behave((n, key) -> "v" + n);
    tiers.clock.advance(BACKOFF);

    assertThat(method.call("k")).isEqualTo("v3");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.behave((n, key) -> {
      throw new IllegalStateException("down again");
    });
    callsServe("v3", method, 1);
    tiers.clock.advance(BACKOFF);
    assertThat(method.call("k")).as("back to the first backoff step").isEqualTo("v3");
    assertThat(method.calls()).isEqualTo(5);
  }
}
