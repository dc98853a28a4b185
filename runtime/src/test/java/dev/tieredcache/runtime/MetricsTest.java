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
        entry("backplane.out", 0L),
        entry("hits.fresh.redis", 0L),
        entry("hits.stale.redis", 0L),
        entry("load.successes", 0L),
        entry("load.time.ms", 0L));
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

  @Test
  void everyEndedLoadIsTimedInTheBucketOfItsDuration() throws Throwable {
    method.behave((call, receiver, arguments) -> {
      fixture.clock.advance(Duration.ofMillis(call == 1 ? 3 : 200));
      if (call == 3) {
        throw new IllegalStateException("down");
      }
      return "v" + call;
    });

    site.call("a");
    site.call("b");
    assertThatThrownBy(() -> site.call("c")).hasMessage("down");

    LoadDurations took = rule.metrics().loadDurations();
    assertThat(took.count()).isEqualTo(3);
    assertThat(took.sum()).isEqualTo(Duration.ofMillis(403));
    long[] cumulative = took.cumulativeCounts();
    assertThat(cumulative).hasSize(LoadDurations.BOUNDS.size() + 1);
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofNanos(2_500_000))]).isZero();
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofMillis(5))]).isEqualTo(1);
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofMillis(100))]).isEqualTo(1);
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofMillis(250))]).isEqualTo(3);
    assertThat(cumulative[cumulative.length - 1]).isEqualTo(3);
    assertThat(rule.metrics().loadSuccesses()).isEqualTo(2);
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
    assertThat(rule.metrics().snapshot()).contains(entry("load.successes", 2L), entry("load.time.ms", 403L));
  }

  @Test
  void aBackgroundRefreshIsTimedAndCountedAsASuccessfulLoad() throws Throwable {
    method.behave((call, receiver, arguments) -> {
      if (call == 2) {
        fixture.clock.advance(Duration.ofSeconds(20));
      }
      return "v" + call;
    });
    site.call("k");
    fixture.clock.advance(TTL);

    site.call("k");

    eventually().until(() -> rule.metrics().loadDurations().count() == 2);
    assertThat(rule.metrics().loadSuccesses()).isEqualTo(2);
    assertThat(rule.metrics().loads()).isEqualTo(1);
    assertThat(rule.metrics().loadDurations().cumulativeCounts()[LoadDurations.BOUNDS.size() - 1]).isEqualTo(1);
  }

  @Test
  void aLoadOnTheBoundOfABucketCountsInThatBucket() throws Throwable {
    method.behave((call, receiver, arguments) -> {
      fixture.clock.advance(Duration.ofMillis(10));
      return "v";
    });

    site.call("k");

    long[] cumulative = rule.metrics().loadDurations().cumulativeCounts();
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofMillis(5))]).isZero();
    assertThat(cumulative[LoadDurations.BOUNDS.indexOf(Duration.ofMillis(10))]).isEqualTo(1);
  }

  @Test
  void everyCallIsExactlyOneHitOrMissWhenCallersJoinALoad() throws Throwable {
    method.behave(blockingUntil(gate, numbered("v")));

    List<Future<Outcome>> calls = fixture.concurrently(5, i -> site.outcome("k"));
    eventually().until(() -> rule.metrics().coalescedWaits() == 4);
    gate.countDown();
    results(calls);
    site.call("k");

    assertThat(rule.metrics().misses()).isEqualTo(5);
    assertThat(rule.metrics().freshHits()).isEqualTo(1);
    assertThat(rule.metrics().loadSuccesses()).isEqualTo(1);
  }

  @Test
  void aLoadOfAMethodThatReturnsAFutureIsTimedUntilTheFutureCompletes() {
    java.util.concurrent.CompletableFuture<Object> pending = new java.util.concurrent.CompletableFuture<>();
    Upstream futureMethod = new Upstream() {
      @Override
      public Object call(Object receiver, Object arguments) {
        return pending;
      }

      @Override
      public boolean returnsFuture() {
        return true;
      }
    };

    Object begun = rule.begin("k", futureMethod, null, "k");
    assertThat(begun).isInstanceOf(Load.class);
    rule.complete((Load) begun, pending, null);
    fixture.clock.advance(Duration.ofMillis(700));
    assertThat(rule.metrics().loadDurations().count()).isZero();
    pending.complete("v");

    assertThat(rule.metrics().loadDurations().count()).isEqualTo(1);
    assertThat(rule.metrics().loadDurations().sum()).isEqualTo(Duration.ofMillis(700));
    assertThat(rule.metrics().loadSuccesses()).isEqualTo(1);
  }
}
