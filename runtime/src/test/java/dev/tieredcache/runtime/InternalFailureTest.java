package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.CacheFixture.results;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.CallSite.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4/§6: nothing throws an exception that the original method would not; an internal error makes the call
 * behave as if uninstrumented, and leaves the rule working.
 */
class InternalFailureTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  /** A manual clock that can be made to fail on one thread, standing for any fault inside the runtime. */
  private static final class BreakableClock implements CacheClock {
    private final ManualClock time = new ManualClock();
    private volatile Thread brokenOn;

    @Override
    public long millis() {
      if (Thread.currentThread() == brokenOn) {
        throw new IllegalStateException("internal fault");
      }
      return time.millis();
    }

    void breakOn(Thread thread) {
      brokenOn = thread;
    }

    void repair() {
      brokenOn = null;
    }
  }

  private final BreakableClock clock = new BreakableClock();
  private final TieredCache cache = TieredCache.builder().clock(clock).build();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final RuleCache rule = cache.addRule(CacheFixture.policy().ttl(TTL).build());
  private final CallSite site = new CallSite(rule, method);
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    gate.countDown();
    callers.shutdownNow();
    cache.close();
  }

  /** Starts {@code n} callers of {@code begin("k")} that report what it returned or threw. */
  private List<Future<Object>> beginOnOtherThreads(int n) {
    List<Future<Object>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(callers.submit(() -> {
        try {
          return rule.begin("k", null, null, "k");
        } catch (Throwable t) {
          return t;
        }
      }));
    }
    return futures;
  }

  @Test
  void aStaleKeyWithoutAnUpstreamIsStillServedStale() throws Throwable {
    site.call("k");
    clock.time.advance(TTL);

    assertThat(rule.begin("k", null, null, "k")).isEqualTo("v1");
    assertThat(CallSite.withoutUpstream(rule, method).call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
  }

  @Test
  void aFaultInBeginTurnsTheCallIntoAPlainCall() throws Throwable {
    site.call("k");
    clock.breakOn(Thread.currentThread());

    assertThat(rule.begin("k", site::call, null, "k")).isNull();
    assertThat(site.call("k")).isEqualTo("v2");
    clock.repair();
    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void aFaultInCompleteLetsTheCallerReturnWhatTheUpstreamReturned() {
    Load load = (Load) rule.begin("k", null, null, "k");
    clock.breakOn(Thread.currentThread());

    assertThat(rule.complete(load, "v", null)).isSameAs(RuleCache.AS_CALLED);
  }

  @Test
  void aFaultInCompleteLetsTheCallerThrowWhatTheUpstreamThrew() {
    Load load = (Load) rule.begin("k", null, null, "k");
    clock.breakOn(Thread.currentThread());

    assertThat(rule.complete(load, null, new IllegalStateException("down"))).isSameAs(RuleCache.AS_CALLED);
    clock.repair();
    assertThat(rule.begin("k", null, null, "k")).isInstanceOf(Load.class);
  }

  @Test
  void waitersOfALoadWhoseCompleteFailsInternallyGetTheLoadedValueNotTheInternalError() throws Exception {
    Load load = (Load) rule.begin("k", null, null, "k");
    List<Future<Object>> waiters = beginOnOtherThreads(4);
    eventually().until(() -> rule.metrics().coalescedWaits() == 4);

    clock.breakOn(Thread.currentThread());
    assertThat(rule.complete(load, "loaded", null)).isSameAs(RuleCache.AS_CALLED);

    for (Object answer : results(waiters)) {
      assertThat(answer).isEqualTo("loaded");
    }
  }

  @Test
  void waitersOfAFailedLoadWhoseCompleteFailsInternallyGetTheUpstreamException() throws Exception {
    Load load = (Load) rule.begin("k", null, null, "k");
    List<Future<Object>> waiters = beginOnOtherThreads(4);
    eventually().until(() -> rule.metrics().coalescedWaits() == 4);
    IllegalStateException boom = new IllegalStateException("down");

    clock.breakOn(Thread.currentThread());
    rule.complete(load, null, boom);

    for (Object answer : results(waiters)) {
      assertThat(answer).isSameAs(boom);
    }
  }

  @Test
  void aFaultWhileRecordingAFailedBackgroundRefreshDoesNotBlockLaterRefreshes() throws Throwable {
    site.call("k");
    clock.time.advance(TTL);
    method.behave(blockingUntil(gate, throwing(new IllegalStateException("down"))));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    Thread refresher = method.lastInvocation().thread;

    clock.breakOn(refresher);
    gate.countDown();
    CacheFixture.awaitIdle(refresher);
    clock.repair();

    method.behave(numbered("v"));
    clock.time.advance(Duration.ofMinutes(1).minus(Duration.ofSeconds(1)));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().atMost(Duration.ofSeconds(5)).until(() -> "v3".equals(rule.peek("k").value()));
  }

  @Test
  void waitersOfABackgroundRefreshAreReleasedWhenRecordingItsFailureFails() throws Throwable {
    RuleCache shortSwr = cache.addRule(CacheFixture.policy().name("short-swr").ttl(TTL)
        .staleWhileRevalidate(Duration.ofSeconds(5)).loadTimeout(Duration.ofSeconds(30)).build());
    CallSite shortSite = new CallSite(shortSwr, method);
    shortSite.call("k");
    clock.time.advance(TTL);
    method.behave(blockingUntil(gate, throwing(new IllegalStateException("down"))));
    assertThat(shortSite.call("k")).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    Thread refresher = method.lastInvocation().thread;
    clock.time.advance(Duration.ofSeconds(5));
    Future<Outcome> waiter = callers.submit(() -> shortSite.outcome("k"));
    eventually().until(() -> shortSwr.metrics().coalescedWaits() == 1);

    clock.breakOn(refresher);
    gate.countDown();

    assertThat(waiter.get(5, TimeUnit.SECONDS).value).isEqualTo("v1");
  }

  @Test
  void aFailingBackgroundRefreshNeverReachesACaller() throws Throwable {
    site.call("k");
    clock.time.advance(TTL);
    method.behave(throwing(new OutOfMemoryError("not really")));

    for (int i = 0; i < 10; i++) {
      assertThat(site.call("k")).isEqualTo("v1");
    }
    eventually().until(() -> rule.metrics().loadErrors() == 1);
    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void afterTheCacheIsClosedStaleValuesAreServedAndNothingIsRefreshed() throws Throwable {
    site.call("k");
    clock.time.advance(TTL);
    cache.close();

    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().refreshes()).isZero();
  }

  @Test
  void anUpstreamExceptionOfALoadIsRethrownUnwrapped() {
    Error error = new AssertionError("an Error is passed through too");
    method.behave(throwing(error));

    assertThatThrownBy(() -> site.call("k")).isSameAs(error);
  }
}
