package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.CacheFixture.results;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.firstThen;
import static dev.tieredcache.runtime.ScriptedUpstream.returning;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CallSite.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4 coalescing: concurrent callers of one key share one in-flight call on the first caller's thread. */
class CoalescingTest {

  private static final int CALLERS = 64;

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void close() {
    gate.countDown();
    fixture.close();
  }

  private RuleCache rule(Duration loadTimeout) {
    return fixture.rule(CacheFixture.policy().ttl(Duration.ofSeconds(10)).loadTimeout(loadTimeout));
  }

  @Test
  void concurrentCallersOfAColdKeyShareOneUpstreamCallAndOneValue() throws Exception {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    Object shared = new Object();
    method.behave(blockingUntil(gate, returning(shared)));

    List<Future<Outcome>> calls = fixture.concurrently(CALLERS, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 1 && rule.metrics().coalescedWaits() == CALLERS - 1);
    gate.countDown();

    for (Outcome outcome : results(calls)) {
      assertThat(outcome.error).isNull();
      assertThat(outcome.value).isSameAs(shared);
    }
    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().loads()).isEqualTo(1);
    assertThat(rule.metrics().misses()).isEqualTo(CALLERS);
  }

  @Test
  void whenTheSharedCallThrowsEveryWaiterGetsTheSameExceptionInstance() throws Exception {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    IllegalStateException boom = new IllegalStateException("boom");
    method.behave(blockingUntil(gate, throwing(boom)));

    List<Future<Outcome>> calls = fixture.concurrently(CALLERS, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 1 && rule.metrics().coalescedWaits() == CALLERS - 1);
    gate.countDown();

    for (Outcome outcome : results(calls)) {
      assertThat(outcome.error).isSameAs(boom);
    }
    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.peek("k")).isNull();
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
  }

  @Test
  void theSharedCallRunsOnTheThreadOfTheCallerThatStartedIt() throws Exception {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    method.behave(blockingUntil(gate, returning("v")));

    List<Future<Thread>> first = fixture.concurrently(1, i -> {
      site.outcome("k");
      return Thread.currentThread();
    });
    eventually().until(() -> method.calls() == 1);
    List<Future<Outcome>> waiters = fixture.concurrently(8, i -> site.outcome("k"));
    eventually().until(() -> rule.metrics().coalescedWaits() == 8);
    gate.countDown();

    Thread starter = results(first).get(0);
    assertThat(method.lastInvocation().thread).isSameAs(starter);
    for (Outcome outcome : results(waiters)) {
      assertThat(outcome.value).isEqualTo("v");
    }
  }

  @Test
  void aWaiterPastLoadTimeoutGetsALoadOfItsOwnAndCallsTheUpstreamItself() throws Throwable {
    RuleCache rule = rule(Duration.ofMillis(100));
    CallSite site = new CallSite(rule, method);
    method.behave(firstThen(blockingUntil(gate, returning("slow")), returning("own")));
    List<Future<Outcome>> slow = fixture.concurrently(1, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 1);

    long started = System.nanoTime();
    Object answer = site.call("k");
    long waitedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

    assertThat(answer).isEqualTo("own");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(method.lastInvocation().thread).isSameAs(Thread.currentThread());
    assertThat(waitedMs).isGreaterThanOrEqualTo(90);
    gate.countDown();
    assertThat(results(slow).get(0).value).isEqualTo("slow");
  }

  @Test
  void aTimedOutWaiterIsHandedALoadByBegin() throws Exception {
    RuleCache rule = rule(Duration.ofMillis(100));
    Object first = rule.begin("k", null, null, "k");
    assertThat(first).isInstanceOf(Load.class);

    List<Future<Object>> waiter = fixture.concurrently(1, i -> rule.begin("k", null, null, "k"));
    try {
      Object second = results(waiter).get(0);
      assertThat(second).isInstanceOf(Load.class).isNotSameAs(first);
      assertThat(rule.complete((Load) second, "own", null)).isSameAs(RuleCache.AS_CALLED);
    } finally {
      rule.complete((Load) first, "first", null);
    }
    assertThat(rule.metrics().loads()).isEqualTo(2);
  }

  @Test
  void aReentrantCallForTheSameKeyOnTheLoadingThreadIsAPlainCall() throws Throwable {
    RuleCache rule = rule(Duration.ofSeconds(10));
    Object load = rule.begin("k", null, null, "k");
    assertThat(load).isInstanceOf(Load.class);

    assertThat(rule.begin("k", null, null, "k")).isNull();
    rule.complete((Load) load, "outer", null);
    assertThat(rule.begin("k", null, null, "k")).isEqualTo("outer");
  }

  @Test
  void aRecursiveMethodCachesOnlyTheOuterCallAndDoesNotDeadlock() throws Throwable {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite[] site = new CallSite[1];
    method.behave((call, receiver, arguments) -> call == 1 ? "outer(" + site[0].call("k") + ")" : "inner");
    site[0] = new CallSite(rule, method);

    assertThat(site[0].call("k")).isEqualTo("outer(inner)");
    assertThat(site[0].call("k")).isEqualTo("outer(inner)");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().coalescedWaits()).isZero();
  }

  @Test
  void aLoadOfOneKeyDoesNotHoldUpAnotherKey() throws Throwable {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    method.behave(firstThen(blockingUntil(gate, returning("a")), returning("b")));
    List<Future<Outcome>> a = fixture.concurrently(1, i -> site.outcome("a"));
    eventually().until(() -> method.calls() == 1);

    assertThat(site.call("b")).isEqualTo("b");
    assertThat(rule.metrics().coalescedWaits()).isZero();
    gate.countDown();
    assertThat(results(a).get(0).value).isEqualTo("a");
  }

  @Test
  void waitersOfALoadThatReturnsNullGetNull() throws Exception {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    method.behave(blockingUntil(gate, returning(null)));

    List<Future<Outcome>> calls = fixture.concurrently(16, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 1 && rule.metrics().coalescedWaits() == 15);
    gate.countDown();

    for (Outcome outcome : results(calls)) {
      assertThat(outcome.error).isNull();
      assertThat(outcome.value).isNull();
    }
    assertThat(method.calls()).isEqualTo(1);
  }

  @Test
  void afterTheSharedCallFailsTheNextCallerLoadsAgain() throws Throwable {
    RuleCache rule = rule(Duration.ofSeconds(10));
    CallSite site = new CallSite(rule, method);
    method.behave(firstThen(blockingUntil(gate, throwing(new IllegalStateException("down"))), returning("up")));
    List<Future<Outcome>> calls = fixture.concurrently(8, i -> site.outcome("k"));
    eventually().until(() -> method.calls() == 1 && rule.metrics().coalescedWaits() == 7);
    gate.countDown();
    results(calls);

    assertThat(site.call("k")).isEqualTo("up");
    assertThat(method.calls()).isEqualTo(2);
  }
}
