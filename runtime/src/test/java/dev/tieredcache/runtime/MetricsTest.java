package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.CacheFixture.results;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.returning;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tieredcache.runtime.CallSite.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: the per-rule counters move with what calls do. */
class MetricsTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration SWR = Duration.ofSeconds(10);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(SWR)
      .staleIfError(Duration.ofHours(1)));
  private final CallSite site = new CallSite(rule, method);

  @AfterEach
  void close() {
    gate.countDown();
    fixture.close();
  }

  @Test
  void aNewRuleHasEveryCounterAtZeroInAStableOrder() {
    assertThat(rule.metrics().snapshot()).containsExactly(
        entry("hits.fresh", 0L),
        entry("hits.stale", 0L),
        entry("misses", 0L),
        entry("loads", 0L),
        entry("load.errors", 0L),
        entry("refreshes", 0L),
        entry("stale.on.error", 0L),
        entry("coalesced.waits", 0L),
        entry("evictions", 0L),
        entry("redis.hits", 0L),
        entry("redis.errors", 0L),
        entry("backplane.in", 0L),
        entry("backplane.out", 0L));
  }

  @Test
  void aMissCountsAMissAndALoad() throws Throwable {
    site.call("k");

    assertThat(rule.metrics().misses()).isEqualTo(1);
    assertThat(rule.metrics().loads()).isEqualTo(1);
    assertThat(rule.metrics().freshHits()).isZero();
  }

  @Test
  void freshHitsAreCounted() throws Throwable {
    site.call("k");
    site.call("k");
    site.call("k");

    assertThat(rule.metrics().freshHits()).isEqualTo(2);
    assertThat(rule.metrics().misses()).isEqualTo(1);
  }

  @Test
  void aStaleHitCountsAStaleHitAndABackgroundRefresh() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);

    site.call("k");

    assertThat(rule.metrics().staleHits()).isEqualTo(1);
    assertThat(rule.metrics().refreshes()).isEqualTo(1);
    assertThat(rule.metrics().loads()).isEqualTo(1);
    eventually().until(() -> "v2".equals(rule.peek("k").value()));
  }

  @Test
  void aFailedLoadCountsALoadError() throws Throwable {
    method.behave(throwing(new IllegalStateException("down")));

    assertThatThrownBy(() -> site.call("k")).hasMessage("down");

    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
    assertThat(rule.metrics().loads()).isEqualTo(1);
  }

  @Test
  void aFailedBackgroundRefreshCountsALoadError() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));

    site.call("k");

    eventually().until(() -> rule.metrics().loadErrors() == 1);
  }

  @Test
  void servingStaleBecauseTheUpstreamFailedCountsStaleOnErrorAndStaleHitsDuringBackoff() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SWR));
    method.behave(throwing(new IllegalStateException("down")));

    site.call("k");
    assertThat(rule.metrics().staleOnError()).isEqualTo(1);
    site.call("k");

    assertThat(rule.metrics().staleOnError()).isEqualTo(2);
    assertThat(rule.metrics().staleHits()).isEqualTo(1);
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
  }

  @Test
  void callersWaitingForAnotherLoadCountCoalescedWaits() throws Throwable {
    method.behave(blockingUntil(gate, numbered("v")));

    List<Future<Outcome>> calls = fixture.concurrently(10, i -> site.outcome("k"));
    eventually().until(() -> rule.metrics().coalescedWaits() == 9);
    gate.countDown();
    results(calls);

    assertThat(rule.metrics().loads()).isEqualTo(1);
    assertThat(rule.metrics().misses()).isEqualTo(10);
  }

  @Test
  void aLoadThatReturnsCountsALoadSuccessAndAPutAndAFailedLoadNeither() throws Throwable {
    site.call("k");
    site.call("k");
    method.behave(throwing(new IllegalStateException("down")));
    assertThatThrownBy(() -> site.call("other")).hasMessage("down");

    assertThat(rule.metrics().loadSuccesses()).isEqualTo(1);
    assertThat(rule.metrics().puts()).isEqualTo(1);
  }

  @Test
  void aBackgroundRefreshThatReturnsCountsALoadSuccessAndAPut() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);

    site.call("k");

    eventually().until(() -> rule.metrics().puts() == 2);
    assertThat(rule.metrics().loadSuccesses()).isEqualTo(2);
  }

  @Test
  void aNullThatTheRuleDoesNotCacheIsALoadSuccessButNoPut() throws Throwable {
    RuleCache noNulls = fixture.rule(CacheFixture.policy().name("no-nulls").cacheNulls(false));
    ScriptedUpstream nulls = new ScriptedUpstream();
    nulls.behave(returning(null));

    new CallSite(noNulls, nulls).call("k");

    assertThat(noNulls.metrics().loadSuccesses()).isEqualTo(1);
    assertThat(noNulls.metrics().puts()).isZero();
  }

  @Test
  void evictAndEvictAllCountEvictions() {
    rule.evict("a");
    rule.evict("b");
    rule.evictAll();

    assertThat(rule.metrics().evictions()).isEqualTo(3);
  }
}
