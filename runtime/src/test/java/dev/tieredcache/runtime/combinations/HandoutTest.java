package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4: every value handed to a caller, from any path, is that caller's own copy under copy-on-read; a cached
 * value that is not an instance of the method's return type is never returned (the call runs uncached).
 */
class HandoutTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration SWR = Duration.ofSeconds(10);

  private Tiers tiers;
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    callers.shutdownNow();
    tiers.close();
  }

  /** A copy-on-read rule whose n-th upstream call returns the mutable list [v<n>]. */
  private Method listMethod(TierSetting setting, RulePolicy.Builder policy) {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(policy.ttl(TTL).copyOnRead(true), ArrayList.class);
    return new Method(rule, ArrayList.class).behave((n, key) -> new ArrayList<>(List.of("v" + n)));
  }

  /** Calls {@code key}, changes what it got, and returns it. */
  @SuppressWarnings("unchecked")
  private static List<String> callAndChange(Method method, String key) throws Throwable {
    List<String> got = (List<String>) method.call(key);
    got.add("changed by a caller");
    return got;
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void eachFreshHitIsTheCallersOwnCopy(TierSetting setting) throws Throwable {
    Method method = listMethod(setting, RulePolicy.builder());
    List<String> loaded = callAndChange(method, "k");
    tiers.flush();

    List<String> first = callAndChange(method, "k");
    List<String> second = callAndChange(method, "k");

    assertThat(first).isNotSameAs(second).isNotSameAs(loaded).containsExactly("v1", "changed by a caller");
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aStaleValueServedWhileItRefreshesIsTheCallersOwnCopy(TierSetting setting) throws Throwable {
    Method method = listMethod(setting, RulePolicy.builder().staleWhileRevalidate(SWR));
    callAndChange(method, "k");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));

    assertThat(callAndChange(method, "k")).containsExactly("v1", "changed by a caller");
    assertThat(callAndChange(method, "k")).containsExactly("v1", "changed by a caller");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void theStaleFallbackOfAFailedRefreshIsTheCallersOwnCopy(TierSetting setting) throws Throwable {
    Method method = listMethod(setting, RulePolicy.builder().staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofHours(1)));
    callAndChange(method, "k");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.behave((n, key) -> {
      throw new IllegalStateException("down");
    });

    assertThat(callAndChange(method, "k")).as("the failed refresh's fallback").containsExactly("v1",
        "changed by a caller");
    assertThat(callAndChange(method, "k")).as("served while backing off").containsExactly("v1",
        "changed by a caller");
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY_AND_REDIS", "REDIS"})
  void aValueReadFromRedisIsTheCallersOwnCopy(TierSetting setting) throws Throwable {
    Method method = listMethod(setting, RulePolicy.builder());
    callAndChange(method, "k");
    tiers.flush();
    Tiers other = tiers.another();
    try {
      RuleCache rule = other.rule(RulePolicy.builder().ttl(TTL).copyOnRead(true), ArrayList.class);
      Method elsewhere = new Method(rule, ArrayList.class);

      assertThat(callAndChange(elsewhere, "k")).as("read through from Redis").containsExactly("v1",
          "changed by a caller");
      assertThat(callAndChange(elsewhere, "k")).containsExactly("v1", "changed by a caller");
      assertThat(elsewhere.calls()).isZero();
    } finally {
      other.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  @SuppressWarnings("unchecked")
  void callersWaitingOnALoadEachGetTheirOwnCopy(TierSetting setting) throws Throwable {
    CountDownLatch release = new CountDownLatch(1);
    Method method = listMethod(setting, RulePolicy.builder().loadTimeout(Duration.ofSeconds(20)));
    method.behave((n, key) -> {
      release.await(20, TimeUnit.SECONDS);
      return new ArrayList<>(List.of("v" + n));
    });
    Future<List<String>> loader = callers.submit(() -> (List<String>) method.callFromTask("k"));
    Awaitility.await().until(() -> method.calls() == 1);
    List<Future<List<String>>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(callers.submit(() -> (List<String>) method.callFromTask("k")));
    }
    Awaitility.await().until(() -> tiers.cache.rule("r").get().metrics().coalescedWaits() == 3);
    release.countDown();

    List<Object> seen = new ArrayList<>();
    seen.add(loader.get(20, TimeUnit.SECONDS));
    for (Future<List<String>> waiter : waiters) {
      seen.add(waiter.get(20, TimeUnit.SECONDS));
    }
    for (int i = 0; i < seen.size(); i++) {
      for (int j = i + 1; j < seen.size(); j++) {
        assertThat(seen.get(i)).as("callers %d and %d", i, j).isNotSameAs(seen.get(j));
      }
    }
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aCachedValueOfAnotherTypeThanTheMethodReturnsIsNeverServed(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL), Object.class);
    Method names = new Method(rule, String.class).behave((n, key) -> "name" + n);
    Method counts = new Method(rule, Integer.class).behave((n, key) -> n * 100);

    assertThat(names.call("7")).isEqualTo("name1");
    tiers.flush();

    assertThat(counts.call("7")).as("a method returning Integer, same rule and key").isEqualTo(100);
    assertThat(counts.calls()).isEqualTo(1);
  }
}
