package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.CacheFixture.results;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tieredcache.runtime.CallSite.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: stale within stale-while-revalidate is served at once while one background refresh per key runs. */
class StaleWhileRevalidateTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration SWR = Duration.ofMinutes(1);

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

  /** Loads "v1" for {@code key} and moves the clock to the moment it turns stale. */
  private void loadThenTurnStale(String key) throws Throwable {
    assertThat(site.call(key)).isEqualTo("v1");
    fixture.clock.advance(TTL);
  }

  @Test
  void staleValueIsServedAtOnceWhileTheRefreshBlocks() throws Throwable {
    loadThenTurnStale("k");
    method.behave(blockingUntil(gate, numbered("v")));

    Object answer = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rule.begin("k", site::call, null, "k"));

    assertThat(answer).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void theRefreshedValueIsServedOnceTheBackgroundRefreshCompletes() throws Throwable {
    loadThenTurnStale("k");

    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> "v2".equals(rule.peek("k").value()));

    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(rule.peek("k").state(fixture.clock.millis())).isEqualTo(EntryState.FRESH);
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void manyConcurrentStaleHitsStartExactlyOneBackgroundRefresh() throws Throwable {
    loadThenTurnStale("k");
    method.behave(blockingUntil(gate, numbered("v")));

    List<Future<Outcome>> hits = fixture.concurrently(64, i -> site.outcome("k"));
    for (Outcome hit : results(hits)) {
      assertThat(hit.value).isEqualTo("v1");
    }
    eventually().until(() -> method.calls() == 2);
    for (int i = 0; i < 100; i++) {
      assertThat(site.call("k")).isEqualTo("v1");
    }
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().refreshes()).isEqualTo(1);

    gate.countDown();
    eventually().until(() -> "v2".equals(rule.peek("k").value()));
    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void eachStaleKeyGetsItsOwnBackgroundRefresh() throws Throwable {
    site.call("a");
    site.call("b");
    fixture.clock.advance(TTL);

    assertThat(site.call("a")).isEqualTo("v1");
    assertThat(site.call("b")).isEqualTo("v2");

    eventually().until(() -> method.calls() == 4);
    assertThat(rule.metrics().refreshes()).isEqualTo(2);
  }

  @Test
  void backgroundRefreshCallsTheUpstreamWithTheSameReceiverAndArgumentsOnARefreshThread() throws Throwable {
    Object receiver = new Object();
    Object[] arguments = {"sku-1", 7};
    site.call(receiver, arguments);
    fixture.clock.advance(TTL);

    Object[] sameArguments = {"sku-1", 7};
    Object receiverOfStaleCall = new Object();
    assertThat(site.call(receiverOfStaleCall, sameArguments)).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);

    ScriptedUpstream.Invocation refresh = method.lastInvocation();
    assertThat(refresh.receiver).isSameAs(receiverOfStaleCall);
    assertThat(refresh.arguments).isSameAs(sameArguments);
    assertThat(refresh.thread).isInstanceOf(RefreshWorker.class).isNotSameAs(Thread.currentThread());
    assertThat(refresh.thread.isDaemon()).isTrue();
    assertThat(refresh.thread.getName()).startsWith("tiered-cache-refresh-");
  }

  @Test
  void theRefreshesOwnCallBypassesTheCacheSoTheNewValueIsStored() throws Throwable {
    loadThenTurnStale("k");

    site.call("k");

    eventually().until(() -> rule.peek("k").writtenAt() == fixture.clock.millis());
    assertThat(rule.peek("k").value()).isEqualTo("v2");
    assertThat(rule.metrics().loads()).isEqualTo(1);
  }

  @Test
  void aFailedBackgroundRefreshKeepsTheStaleValueAndIsNotRetriedWithinErrorBackoff() throws Throwable {
    loadThenTurnStale("k");
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> rule.failedRefreshes("k") == 1);
    fixture.clock.advance(Duration.ofMillis(4_999));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);

    fixture.clock.advance(Duration.ofMillis(1));
    method.behave(numbered("v"));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> "v3".equals(rule.peek("k").value()));
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
  }

  @Test
  void withoutAnUpstreamAStaleValueIsStillServedAndNothingIsRefreshed() throws Throwable {
    loadThenTurnStale("k");
    CallSite noUpstream = CallSite.withoutUpstream(rule, method);

    assertThat(noUpstream.call("k")).isEqualTo("v1");
    assertThat(noUpstream.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().refreshes()).isZero();
  }

  @Test
  void aRefreshRefusedByAFullPoolLeavesTheStaleValueAndTheNextHitAsksAgain() throws Throwable {
    try (CacheFixture small = new CacheFixture(TieredCache.builder().refreshThreads(1).refreshQueue(1))) {
      ScriptedUpstream slow = new ScriptedUpstream();
      RuleCache smallRule = small.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(SWR));
      CallSite smallSite = new CallSite(smallRule, slow);
      smallSite.call("a");
      smallSite.call("b");
      smallSite.call("c");
      small.clock.advance(TTL);
      slow.behave(blockingUntil(gate, numbered("new")));

      assertThat(smallSite.call("a")).isEqualTo("v1");
      eventually().until(() -> slow.calls() == 4);
      assertThat(smallSite.call("b")).isEqualTo("v2");
      assertThat(smallSite.call("c")).isEqualTo("v3");
      assertThat(smallRule.metrics().refreshes()).isEqualTo(2);

      gate.countDown();
      eventually().until(() -> smallRule.peek("b").value().toString().startsWith("new"));
      assertThat(smallSite.call("c")).isEqualTo("v3");
      eventually().until(() -> smallRule.peek("c").value().toString().startsWith("new"));
      assertThat(smallRule.metrics().refreshes()).isEqualTo(3);
    }
  }

  @Test
  void aStaleNullIsServedAsNull() throws Throwable {
    method.behave(ScriptedUpstream.returning(null));
    site.call("k");
    fixture.clock.advance(TTL);

    assertThat(rule.begin("k", null, null, "k")).isSameAs(RuleCache.NULL_VALUE);
    assertThat(site.call("k")).isNull();
  }
}
