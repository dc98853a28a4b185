package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.BatchUpstream;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §3 "Batch rules": a batch call looks up each id in the single-element rule as a single call of it would, in
 * every {@code tiers:} setting; the method is called once with only the ids missing or past stale-while-revalidate;
 * stale ones are refreshed in one background call; loads are shared with single calls; the fail-safe works per
 * element; no claim outlives its call.
 */
class BatchCallsTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;
  private RuleCache rule;
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    callers.shutdownNow();
    tiers.close();
  }

  private RuleCache rule(Tiers fixture, RulePolicy.Builder policy) {
    tiers = fixture;
    rule = tiers.rule(policy.ttl(TTL), String.class);
    return rule;
  }

  private Method single() {
    return new Method(rule, String.class).behave((n, id) -> id + "#single" + n);
  }

  private BatchMethod batch() {
    return new BatchMethod(rule, String.class);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aBatchAfterASingleCallLoadsOnlyTheMissingIdsAndAnswersInOrder(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder());
    Method find = single();
    BatchMethod findAll = batch();
    assertThat(find.call("2")).isEqualTo("2#single1");
    tiers.flush();

    assertThat(findAll.call("1", "2", "3")).containsExactly("1#1", "2#single1", "3#1");
    assertThat(findAll.calls()).containsExactly(List.of("1", "3"));
    tiers.flush();

    assertThat(findAll.call("3", "2", "1")).as("every element cached").containsExactly("3#1", "2#single1", "1#1");
    assertThat(findAll.calls()).hasSize(1);
    assertThat(find.call("1")).as("a single call shares the batch's entry").isEqualTo("1#1");
    assertThat(find.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY_AND_REDIS", "REDIS"})
  void anotherInstanceFindsTheBatchsElementsInRedis(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder());
    batch().call("1", "2");
    tiers.flush();
    try (Tiers other = tiers.another()) {
      RuleCache there = other.rule(RulePolicy.builder().ttl(TTL), String.class);
      BatchMethod findAll = new BatchMethod(there, String.class);
      assertThat(findAll.call("1", "2", "3")).containsExactly("1#1", "2#1", "3#1");
      assertThat(findAll.calls()).containsExactly(List.of("3"));
      Method find = new Method(there, String.class);
      assertThat(find.call("2")).isEqualTo("2#1");
      assertThat(find.calls()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void staleElementsWithinStaleWhileRevalidateAreServedAndRefreshedInOneBackgroundCall(TierSetting setting)
      throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().staleWhileRevalidate(Duration.ofMinutes(1)));
    BatchMethod findAll = batch();
    findAll.call("1", "2");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));

    assertThat(findAll.call("1", "2", "3")).as("stale ones at once, the missing one loaded")
        .containsExactly("1#1", "2#1", "3#2");
    assertThat(findAll.calls()).containsExactly(List.of("1", "2"), List.of("3"));
    assertThat(tiers.queuedRefreshes()).as("one background refresh for both stale ids").isEqualTo(1);
    tiers.runRefreshes();
    tiers.flush();

    assertThat(findAll.calls()).hasSize(3);
    assertThat(findAll.calls().get(2)).containsExactly("1", "2");
    assertThat(findAll.call("1", "2", "3")).containsExactly("1#3", "2#3", "3#2");
    assertThat(findAll.calls()).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void whenTheBatchedCallFailsStaleElementsAreServedAndTheCallThrowsOnlyIfAnIdHasNone(TierSetting setting)
      throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofHours(1)));
    BatchMethod findAll = batch();
    findAll.call("1", "2");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    IllegalStateException down = new IllegalStateException("database down");
    findAll.behave((n, ids) -> {
      throw down;
    });

    assertThat(findAll.call("1", "2")).as("both stale").containsExactly("1#1", "2#1");
    assertThatThrownBy(() -> findAll.call("1", "3")).as("3 has no value").isSameAs(down);
    assertThat(findAll.calls()).as("the failed refresh backs off: 1 is not asked for again")
        .containsExactly(List.of("1", "2"), List.of("1", "2"), List.of("3"));

    findAll.behave((n, ids) -> Map.of("3", "3#ok"));
    assertThat(findAll.call("1", "3")).as("no claim was left behind").containsExactly("1#1", "3#ok");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anIdNotReturnedIsCachedAsAbsentWhenCacheNullsIsTrue(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().cacheNulls(true));
    BatchMethod findAll = batch().behave((n, ids) -> Map.of("1", "1#" + n));
    Method find = single();

    assertThat(findAll.call("1", "2")).containsExactly("1#1", null);
    tiers.flush();
    assertThat(findAll.call("1", "2")).containsExactly("1#1", null);
    assertThat(find.call("2")).as("the single call finds the absence too").isNull();
    assertThat(findAll.calls()).hasSize(1);
    assertThat(find.calls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anIdNotReturnedIsNotStoredWhenCacheNullsIsFalse(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().cacheNulls(false));
    BatchMethod findAll = batch().behave((n, ids) -> Map.of("1", "1#" + n));

    assertThat(findAll.call("1", "2")).containsExactly("1#1", null);
    tiers.flush();
    assertThat(findAll.call("1", "2")).containsExactly("1#1", null);
    assertThat(findAll.calls()).containsExactly(List.of("1", "2"), List.of("2"));
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void eachElementIsTheCallersOwnCopyWithCopyOnRead(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    rule = tiers.rule(RulePolicy.builder().ttl(TTL).copyOnRead(true), ArrayList.class);
    BatchMethod findAll = new BatchMethod(rule, ArrayList.class).behave((n, ids) -> {
      Map<String, Object> found = new LinkedHashMap<>();
      for (Object id : ids) {
        found.put((String) id, new ArrayList<>(List.of(id + "#" + n)));
      }
      return found;
    });
    changeEach(findAll.call("1", "2"));
    tiers.flush();

    List<Object> first = findAll.call("1", "2");
    assertThat(first).containsExactly(List.of("1#1"), List.of("2#1"));
    changeEach(first);
    assertThat(findAll.call("1", "2")).containsExactly(List.of("1#1"), List.of("2#1"));
    Method find = new Method(rule, ArrayList.class);
    assertThat(find.call("1")).isEqualTo(List.of("1#1"));
  }

  @SuppressWarnings("unchecked")
  private static void changeEach(List<Object> values) {
    for (Object value : values) {
      ((List<String>) value).add("changed by a caller");
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void elementsCarryTheSingleRulesTagsAndAnEvictByTagMakesThemMiss(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder());
    BatchMethod findAll = batch().tagged((id, value) -> new String[] {"odd:" + (Integer.parseInt((String) id) % 2)});
    findAll.call("1", "2", "3");
    tiers.flush();

    tiers.cache.evictTag("odd:1");
    assertThat(findAll.call("1", "2", "3")).containsExactly("1#2", "2#1", "3#2");
    assertThat(findAll.calls()).containsExactly(List.of("1", "2", "3"), List.of("1", "3"));
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anyThrowableOfTheBatchedCallReleasesEveryClaim(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    BatchMethod findAll = batch().behave((n, ids) -> {
      throw new StackOverflowError("deep");
    });
    assertThatThrownBy(() -> findAll.call("1", "2")).isInstanceOf(StackOverflowError.class);

    Method find = single();
    Future<Object> later = callers.submit(() -> find.callFromTask("1"));
    assertThat(later.get(5, TimeUnit.SECONDS)).as("loaded at once, not after load-timeout")
        .isEqualTo("1#single1");
    tiers.flush();
    BatchMethod fine = batch();
    assertThat(fine.call("1", "2")).containsExactly("1#single1", "2#1");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aBatchTheAgentCannotCallRunsUncachedAndLeavesNoClaim(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    AtomicInteger tries = new AtomicInteger();
    BatchMethod findAll = batch().behave((n, ids) -> {
      if (tries.incrementAndGet() == 1) {
        throw new BatchUpstream.NotCallable("no collection of the caller's type", null);
      }
      return Map.of();
    });
    assertThat(findAll.call("1", "2")).as("the uncached call answers").containsExactly(null, null);
    assertThat(findAll.plainCalls()).isEqualTo(1);

    Method find = single();
    Future<Object> later = callers.submit(() -> find.callFromTask("2"));
    assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo("2#single1");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aSingleCallOfAnIdInsideTheBatchedCallRunsTheOriginalCode(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    Method find = single();
    BatchMethod findAll = batch().behave((n, ids) -> {
      // a findAll implemented with find(id) per id, each instrumented by the single rule
      Map<String, Object> found = new LinkedHashMap<>();
      for (Object id : ids) {
        found.put((String) id, find.call((String) id));
      }
      return found;
    });
    long started = System.nanoTime();
    assertThat(findAll.call("1", "2")).containsExactly("1#single1", "2#single2");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
    tiers.flush();
    assertThat(find.call("1")).as("the batch's value was kept").isEqualTo("1#single1");
    assertThat(find.calls()).isEqualTo(2);
  }

  /**
   * With a memory tier. A Redis-only rule writes to Redis in the background: a caller that reads Redis just after a
   * load of the same key ended, before its write arrived, loads it again (single calls as much as batch calls), so
   * "once" holds there only for callers whose calls overlap the load.
   */
  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY", "MEMORY_AND_REDIS"})
  void fiftyThreadsOfBatchAndSingleCallsWithOverlappingIdsLoadEachIdOnce(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    Map<Object, AtomicInteger> loadsById = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    BatchMethod findAll = batch().behave((n, ids) -> {
      Thread.sleep(20);
      Map<String, Object> found = new LinkedHashMap<>();
      for (Object id : ids) {
        loadsById.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
        found.put((String) id, "v" + id);
      }
      return found;
    });
    Method find = new Method(rule, String.class).behave((n, id) -> {
      Thread.sleep(20);
      loadsById.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
      return "v" + id;
    });
    List<Future<List<Object>>> results = new ArrayList<>();
    for (int t = 0; t < 50; t++) {
      int first = t % 10;
      String[] ids = {String.valueOf(first), String.valueOf((first + 3) % 12), String.valueOf((first + 7) % 12)};
      boolean singleCaller = t % 5 == 4;
      results.add(callers.submit(() -> {
        start.await();
        if (singleCaller) {
          return List.of(find.callFromTask(ids[0]));
        }
        return findAll.callFromTask(ids);
      }));
    }
    start.countDown();
    for (Future<List<Object>> result : results) {
      for (Object value : result.get(30, TimeUnit.SECONDS)) {
        assertThat(value).isNotNull();
      }
    }
    assertThat(loadsById).hasSize(12);
    assertThat(loadsById.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(findAll.plainCalls()).isZero();
    assertThat(findAll.call("0", "5", "11")).containsExactly("v0", "v5", "v11");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anIdWhoseJoinedLoadFailsIsLoadedByTheBatchItself(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    CountDownLatch singleStarted = new CountDownLatch(1);
    CountDownLatch failSingle = new CountDownLatch(1);
    Method find = new Method(rule, String.class).behave((n, id) -> {
      singleStarted.countDown();
      failSingle.await();
      throw new IllegalStateException("single load failed");
    });
    Future<Object> single = callers.submit(() -> find.callFromTask("1"));
    singleStarted.await();
    BatchMethod findAll = batch();
    Future<List<Object>> many = callers.submit(() -> findAll.callFromTask("1", "2"));
    while (findAll.calls().isEmpty()) {
      Thread.sleep(5);
    }
    failSingle.countDown();

    assertThat(many.get(10, TimeUnit.SECONDS)).containsExactly("1#2", "2#1");
    assertThat(findAll.calls()).as("2 at once, then 1 once the load it joined failed")
        .containsExactly(List.of("2"), List.of("1"));
    assertThatThrownBy(() -> single.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("single load failed");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aJoinedLoadSlowerThanLoadTimeoutServesTheStaleValue(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofHours(1)).loadTimeout(Duration.ofMillis(200)));
    BatchMethod findAll = batch();
    findAll.call("1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    CountDownLatch singleStarted = new CountDownLatch(1);
    CountDownLatch endSingle = new CountDownLatch(1);
    Method find = new Method(rule, String.class).behave((n, id) -> {
      singleStarted.countDown();
      endSingle.await();
      return "1#single";
    });
    Future<Object> single = callers.submit(() -> find.callFromTask("1"));
    singleStarted.await();

    assertThat(findAll.call("1")).as("the stale value, after load-timeout").containsExactly("1#1");
    assertThat(findAll.calls()).hasSize(1);
    endSingle.countDown();
    assertThat(single.get(10, TimeUnit.SECONDS)).isEqualTo("1#single");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void freshElementsPastTheRefreshAheadPointAreRefreshedInOneBackgroundCall(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder().refreshAhead(java.util.OptionalDouble.of(0.5)));
    BatchMethod findAll = batch();
    findAll.call("1", "2");
    tiers.flush();
    tiers.clock.advance(Duration.ofSeconds(6));

    assertThat(findAll.call("1", "2")).containsExactly("1#1", "2#1");
    assertThat(tiers.queuedRefreshes()).isEqualTo(1);
    tiers.runRefreshes();
    tiers.flush();
    assertThat(findAll.calls()).containsExactly(List.of("1", "2"), List.of("1", "2"));
    assertThat(findAll.call("2", "1")).containsExactly("2#2", "1#2");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anElementEvictedWhileTheBatchedCallRunsIsHandedToTheCallerButNotKept(TierSetting setting) throws Throwable {
    rule(Tiers.of(setting), RulePolicy.builder());
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch evicted = new CountDownLatch(1);
    BatchMethod findAll = batch().behave((n, ids) -> {
      if (n == 1) {
        loading.countDown();
        evicted.await();
      }
      Map<String, Object> found = new LinkedHashMap<>();
      for (Object id : ids) {
        found.put((String) id, id + "#" + n);
      }
      return found;
    });
    Future<List<Object>> first = callers.submit(() -> findAll.callFromTask("1", "2"));
    loading.await();
    rule.evict("1");
    evicted.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("1#1", "2#1");
    tiers.flush();
    assertThat(findAll.call("1", "2")).containsExactly("1#2", "2#1");
    assertThat(findAll.calls()).containsExactly(List.of("1", "2"), List.of("1"));
  }
}
