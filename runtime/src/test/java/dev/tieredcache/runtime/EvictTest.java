package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: an evict removes the key; a load already running when it happens does not write its result. */
class EvictTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL));
  private final CallSite site = new CallSite(rule, method);

  /** A second caller: begin and complete of one load happen on one thread, as the agent's advice does them. */
  private final ExecutorService otherCaller = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    gate.countDown();
    otherCaller.shutdownNow();
    fixture.close();
  }

  private <T> T onOtherCaller(java.util.concurrent.Callable<T> step) throws Exception {
    return otherCaller.submit(step).get(10, TimeUnit.SECONDS);
  }

  @Test
  void evictRemovesTheKeyAndTheNextCallLoads() throws Throwable {
    site.call("k");

    rule.evict("k");

    assertThat(rule.peek("k")).isNull();
    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().evictions()).isEqualTo(1);
  }

  @Test
  void evictLeavesOtherKeys() throws Throwable {
    site.call("a");
    site.call("b");

    rule.evict("a");

    assertThat(rule.peek("a")).isNull();
    assertThat(site.call("b")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void evictOfAnAbsentKeyIsHarmless() throws Throwable {
    rule.evict("nothing");

    assertThat(site.call("nothing")).isEqualTo("v1");
  }

  @Test
  void evictAllRemovesEveryKey() throws Throwable {
    for (int i = 0; i < 10; i++) {
      site.call("k" + i);
    }

    rule.evictAll();

    for (int i = 0; i < 10; i++) {
      assertThat(rule.peek("k" + i)).isNull();
    }
    assertThat(site.call("k0")).isEqualTo("v11");
  }

  @Test
  void evictOfAStaleKeyStopsItBeingServed() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);

    rule.evict("k");

    assertThat(site.call("k")).isEqualTo("v2");
  }

  @Test
  void aLoadInFlightWhenItsKeyIsEvictedDoesNotStoreItsResult() throws Throwable {
    Load load = (Load) rule.begin("k", null, null, "k");

    rule.evict("k");

    assertThat(rule.complete(load, "before-evict", null)).isSameAs(RuleCache.AS_CALLED);
    assertThat(rule.peek("k")).isNull();
    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void aCallerAfterTheEvictDoesNotJoinTheLoadThatStartedBeforeIt() throws Exception {
    Load before = (Load) rule.begin("k", null, null, "k");

    rule.evict("k");
    Object after = onOtherCaller(() -> rule.begin("k", null, null, "k"));

    assertThat(after).isInstanceOf(Load.class).isNotSameAs(before);
    rule.complete(before, "old", null);
    onOtherCaller(() -> rule.complete((Load) after, "new", null));
    assertThat(rule.peek("k").value()).isEqualTo("new");
  }

  @Test
  void aNewerLoadIsNotUndoneWhenTheEvictedLoadFinishesLast() throws Exception {
    Load before = (Load) rule.begin("k", null, null, "k");
    rule.evict("k");
    Load after = (Load) onOtherCaller(() -> rule.begin("k", null, null, "k"));

    onOtherCaller(() -> rule.complete(after, "new", null));
    rule.complete(before, "old", null);

    assertThat(rule.peek("k").value()).isEqualTo("new");
  }

  @Test
  void evictAllWhileLoadsAreInFlightStoresNoneOfThem() {
    Load a = (Load) rule.begin("a", null, null, "a");
    Load b = (Load) rule.begin("b", null, null, "b");

    rule.evictAll();
    rule.complete(a, "a", null);
    rule.complete(b, "b", null);

    assertThat(rule.peek("a")).isNull();
    assertThat(rule.peek("b")).isNull();
  }

  @Test
  void aBackgroundRefreshRunningWhenItsKeyIsEvictedDoesNotStoreItsResult() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(blockingUntil(gate, numbered("v")));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    Thread refresher = method.lastInvocation().thread;

    rule.evict("k");
    gate.countDown();
    CacheFixture.awaitIdle(refresher);

    assertThat(rule.peek("k")).isNull();
    method.behave(numbered("v"));
    assertThat(site.call("k")).isEqualTo("v3");
  }

  @Test
  void anEvictRacingTheEndOfALoadAlwaysWins() throws Exception {
    ExecutorService racers = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier start = new CyclicBarrier(2);
      for (int i = 0; i < 20_000; i++) {
        String key = "k" + i;
        Load load = (Load) rule.begin(key, null, null, key);
        Future<?> completing = racers.submit(() -> {
          start.await();
          return rule.complete(load, "loaded before the evict", null);
        });
        Future<?> evicting = racers.submit(() -> {
          start.await();
          rule.evict(key);
          return null;
        });
        completing.get(10, TimeUnit.SECONDS);
        evicting.get(10, TimeUnit.SECONDS);
        assertThat(rule.peek(key)).as("iteration %s", i).isNull();
      }
    } finally {
      racers.shutdownNow();
    }
  }
}
