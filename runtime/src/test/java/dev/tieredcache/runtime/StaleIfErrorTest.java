package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.CacheFixture.results;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.returning;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.CallSite.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: stale past stale-while-revalidate but within stale-if-error is refreshed on the caller's thread
 * (coalesced), and the stale value is served when that refresh throws or keeps its waiters past load-timeout.
 */
class StaleIfErrorTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration SWR = Duration.ofSeconds(5);
  private static final Duration SIE = Duration.ofHours(1);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(SWR)
      .staleIfError(SIE).loadTimeout(Duration.ofMillis(100)));
  private final CallSite site = new CallSite(rule, method);

  @AfterEach
  void close() {
    gate.countDown();
    fixture.close();
  }

  /** Loads "v1" and moves the clock past stale-while-revalidate, into stale-if-error only. */
  private void loadThenPassStaleWhileRevalidate() throws Throwable {
    assertThat(site.call("k")).isEqualTo("v1");
    fixture.clock.advance(TTL.plus(SWR));
  }

  @Test
  void pastStaleWhileRevalidateTheCallerRefreshesOnItsOwnThread() throws Throwable {
    loadThenPassStaleWhileRevalidate();

    assertThat(rule.begin("k", site::call, null, "k")).isInstanceOf(Load.class);
  }

  @Test
  void aSuccessfulForegroundRefreshReturnsAndStoresTheNewValue() throws Throwable {
    loadThenPassStaleWhileRevalidate();

    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(method.lastInvocation().thread).isSameAs(Thread.currentThread());
    assertThat(rule.peek("k").value()).isEqualTo("v2");
    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().refreshes()).isZero();
  }

  @Test
  void whenTheForegroundRefreshThrowsTheCallerGetsTheStaleValue() throws Throwable {
    loadThenPassStaleWhileRevalidate();
    IllegalStateException boom = new IllegalStateException("down");
    Load load = (Load) rule.begin("k", site::call, null, "k");

    assertThat(rule.complete(load, null, boom)).isEqualTo("v1");
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
    assertThat(rule.metrics().staleOnError()).isEqualTo(1);
  }

  @Test
  void aCallerNeverSeesTheRefreshExceptionWhileTheStaleValueIsUsable() throws Throwable {
    loadThenPassStaleWhileRevalidate();
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void aStaleNullIsReturnedAsNullWhenTheRefreshThrows() throws Throwable {
    method.behave(returning(null));
    site.call("k");
    fixture.clock.advance(TTL.plus(SWR));
    Load load = (Load) rule.begin("k", site::call, null, "k");

    assertThat(rule.complete(load, null, new IllegalStateException("down"))).isSameAs(RuleCache.NULL_VALUE);
  }

  @Test
  void concurrentWaitersGetTheStaleValueWhenTheSharedRefreshThrows() throws Throwable {
    RuleCache patient = fixture.rule(CacheFixture.policy().name("patient").ttl(TTL).staleWhileRevalidate(SWR)
        .staleIfError(SIE));
    CallSite patientSite = new CallSite(patient, method);
    patientSite.call("k");
    fixture.clock.advance(TTL.plus(SWR));
    method.behave(blockingUntil(gate, throwing(new IllegalStateException("down"))));

    List<Future<Outcome>> calls = fixture.concurrently(32, i -> patientSite.outcome("k"));
    eventually().until(() -> method.calls() == 2 && patient.metrics().coalescedWaits() == 31);
    gate.countDown();

    for (Outcome outcome : results(calls)) {
      assertThat(outcome.error).isNull();
      assertThat(outcome.value).isEqualTo("v1");
    }
    assertThat(method.calls()).isEqualTo(2);
    assertThat(patient.metrics().staleOnError()).isEqualTo(32);
  }

  @Test
  void concurrentWaitersGetTheRefreshedValueWhenTheSharedRefreshSucceeds() throws Throwable {
    RuleCache patient = fixture.rule(CacheFixture.policy().name("patient").ttl(TTL).staleWhileRevalidate(SWR)
        .staleIfError(SIE));
    CallSite patientSite = new CallSite(patient, method);
    patientSite.call("k");
    fixture.clock.advance(TTL.plus(SWR));
    method.behave(blockingUntil(gate, numbered("v")));

    List<Future<Outcome>> calls = fixture.concurrently(32, i -> patientSite.outcome("k"));
    eventually().until(() -> method.calls() == 2 && patient.metrics().coalescedWaits() == 31);
    gate.countDown();

    for (Outcome outcome : results(calls)) {
      assertThat(outcome.value).isEqualTo("v2");
    }
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void aWaiterPastLoadTimeoutGetsTheStaleValueWithoutCallingTheUpstream() throws Throwable {
    loadThenPassStaleWhileRevalidate();
    method.behave(blockingUntil(gate, numbered("v")));
    List<Future<Outcome>> refresher = fixture.concurrently(1, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 2);

    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().staleOnError()).isEqualTo(1);

    gate.countDown();
    assertThat(results(refresher).get(0).value).isEqualTo("v2");
  }

  @Test
  void atTheStaleLimitTheUpstreamExceptionReachesTheCaller() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SIE));
    IllegalStateException boom = new IllegalStateException("down");
    method.behave(throwing(boom));

    assertThatThrownBy(() -> site.call("k")).isSameAs(boom);
  }

  @Test
  void aRefreshThatFailsAfterTheStaleLimitPassedLetsTheExceptionThrough() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SIE).minusMillis(1));
    Load load = (Load) rule.begin("k", site::call, null, "k");
    fixture.clock.advance(Duration.ofMillis(1));

    assertThat(rule.complete(load, null, new IllegalStateException("down"))).isSameAs(RuleCache.AS_CALLED);
  }

  @Test
  void aRefreshThatReturnsNormallyIsReturnedAsCalled() throws Throwable {
    loadThenPassStaleWhileRevalidate();
    Load load = (Load) rule.begin("k", site::call, null, "k");

    assertThat(rule.complete(load, "v2", null)).isSameAs(RuleCache.AS_CALLED);
    assertThat(rule.peek("k").value()).isEqualTo("v2");
  }

  @Test
  void aCallerPastStaleWhileRevalidateJoinsABackgroundRefreshStillRunning() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(blockingUntil(gate, throwing(new IllegalStateException("down"))));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    fixture.clock.advance(SWR);

    List<Future<Outcome>> waiter = fixture.concurrently(1, i -> site.outcome("k"));
    assertThat(results(waiter).get(0).value).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().coalescedWaits()).isEqualTo(1);
  }
}
