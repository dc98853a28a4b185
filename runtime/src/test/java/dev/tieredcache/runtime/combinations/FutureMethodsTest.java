package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4 for methods that return {@code CompletableFuture<T>} (or {@code CompletionStage<T>}): what the future
 * completes with is cached, never the future; a hit is a completed future of the caller's own; a future that fails
 * is an exception (not cached, stale-if-error, error-backoff); concurrent callers of a cold key share one upstream
 * call; no caller waits for the upstream's future, nor does a background refresh's thread.
 */
class FutureMethodsTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    callers.shutdownNow();
    tiers.close();
  }

  private FutureMethod method(TierSetting setting, RulePolicy.Builder policy) {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(policy.ttl(TTL), String.class);
    return new FutureMethod(rule, String.class);
  }

  private static Object valueOf(CompletableFuture<Object> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void theCompletedValueIsCachedAndAHitIsACompletedFuture(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder());

    CompletableFuture<Object> first = method.call("k");
    assertThat(first).as("the caller does not wait for the upstream's future").isNotDone();
    assertThat(first).as("the caller's own future, not the upstream's").isNotSameAs(method.upstream(1));
    method.upstream(1).complete("v1");
    assertThat(first).isCompletedWithValue("v1");
    tiers.flush();

    CompletableFuture<Object> hit = method.call("k");
    assertThat(hit).as("a hit is complete when the caller gets it").isCompletedWithValue("v1");
    assertThat(method.calls()).isEqualTo(1);
    if (setting != TierSetting.REDIS) {
      assertThat(tiers.cache.rule("r").get().peek("k").value()).as("the memory tier holds the value")
          .isEqualTo("v1");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY_AND_REDIS", "REDIS"})
  void anotherInstanceReadsTheCompletedValueFromRedis(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder()).completing();
    assertThat(valueOf(method.call("k"))).isEqualTo("v1");
    tiers.flush();
    Tiers other = tiers.another();
    try {
      FutureMethod elsewhere = new FutureMethod(other.rule(RulePolicy.builder().ttl(TTL), String.class),
          String.class);
      assertThat(elsewhere.call("k")).isCompletedWithValue("v1");
      assertThat(elsewhere.calls()).isZero();
    } finally {
      other.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void eachCallerGetsAFutureOfItsOwn(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder()).completing();
    CompletableFuture<Object> loaded = method.call("k");
    tiers.flush();
    CompletableFuture<Object> first = method.call("k");
    CompletableFuture<Object> second = method.call("k");

    assertThat(first).isNotSameAs(second).isNotSameAs(loaded);
    first.obtrudeValue("changed by a caller");
    second.cancel(true);
    loaded.obtrudeException(new IllegalStateException("changed by the loading caller"));

    assertThat(method.call("k")).isCompletedWithValue("v1");
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aFailedFutureIsNotCachedAndItsExceptionReachesTheCaller(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder());
    IllegalStateException down = new IllegalStateException("db down");

    CompletableFuture<Object> first = method.call("k");
    method.upstream(1).completeExceptionally(down);

    assertThatThrownBy(() -> valueOf(first)).isInstanceOf(ExecutionException.class).hasCauseReference(down);
    tiers.flush();
    CompletableFuture<Object> second = method.call("k");
    assertThat(method.calls()).as("an exception is never cached").isEqualTo(2);
    method.upstream(2).complete("v2");
    assertThat(second).isCompletedWithValue("v2");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aMethodThatThrowsInsteadOfReturningAFutureThrowsToItsCaller(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder());
    IllegalArgumentException bad = new IllegalArgumentException("bad id");
    method.completing(n -> {
      throw bad;
    });

    assertThatThrownBy(() -> method.call("k")).isSameAs(bad);
    method.completing();
    assertThat(valueOf(method.call("k"))).isEqualTo("v2");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aFailedFutureServesTheStaleValueAndBacksOff(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder().staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofHours(1)).errorBackoff(Duration.ofSeconds(5))).completing();
    assertThat(valueOf(method.call("k"))).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.pending();

    CompletableFuture<Object> refreshing = method.call("k");
    assertThat(refreshing).as("the refresh runs: the caller waits for its future, not on its thread").isNotDone();
    method.upstream(2).completeExceptionally(new IllegalStateException("db down"));
    assertThat(refreshing).as("stale-if-error").isCompletedWithValue("v1");

    assertThat(method.call("k")).as("backing off: served at once").isCompletedWithValue("v1");
    assertThat(method.calls()).as("no refresh before error-backoff has passed").isEqualTo(2);

    tiers.clock.advance(Duration.ofSeconds(6));
    method.completing();
    assertThat(valueOf(method.call("k"))).as("after the backoff the refresh is tried again").isEqualTo("v3");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void concurrentCallersOfAColdKeyShareOneUpstreamCall(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder().loadTimeout(Duration.ofSeconds(30)));
    List<CompletableFuture<Object>> got = new ArrayList<>();
    got.add(method.call("k"));
    got.add(method.call("k"));
    List<Future<CompletableFuture<Object>>> elsewhere = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      elsewhere.add(callers.submit(() -> {
        try {
          return method.call("k");
        } catch (Throwable t) {
          throw new Exception(t);
        }
      }));
    }
    for (Future<CompletableFuture<Object>> caller : elsewhere) {
      got.add(caller.get(10, TimeUnit.SECONDS));
    }

    assertThat(method.calls()).as("one upstream call for five callers").isEqualTo(1);
    assertThat(got).as("no caller waited for the load").noneMatch(CompletableFuture::isDone);
    assertThat(got).doesNotHaveDuplicates();
    method.upstream(1).complete("v1");
    for (CompletableFuture<Object> future : got) {
      assertThat(future).isCompletedWithValue("v1");
    }
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void callersOfAFailedSharedCallAllGetItsException(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder());
    CompletableFuture<Object> loading = method.call("k");
    CompletableFuture<Object> joined = method.call("k");
    IllegalStateException down = new IllegalStateException("db down");
    method.upstream(1).completeExceptionally(down);

    assertThatThrownBy(() -> valueOf(loading)).hasCauseReference(down);
    assertThatThrownBy(() -> valueOf(joined)).hasCauseReference(down);
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aBackgroundRefreshStoresWhatItsFutureCompletesWith(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder().staleWhileRevalidate(Duration.ofMinutes(1)))
        .completing();
    assertThat(valueOf(method.call("k"))).isEqualTo("v1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    method.pending();

    assertThat(method.call("k")).as("stale, served at once").isCompletedWithValue("v1");
    tiers.runRefreshes();
    assertThat(method.calls()).as("the refresh called the method; its thread did not wait").isEqualTo(2);
    assertThat(method.call("k")).as("still refreshing: stale").isCompletedWithValue("v1");
    method.upstream(2).complete("v2");
    tiers.flush();

    assertThat(method.call("k")).as("the refreshed value, fresh").isCompletedWithValue("v2");
    assertThat(tiers.queuedRefreshes()).isZero();
    assertThat(method.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aFutureCompletingWithNullCachesNull(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder().cacheNulls(true))
        .completing(n -> CompletableFuture.completedFuture(null));
    assertThat(valueOf(method.call("k"))).isNull();
    tiers.flush();
    assertThat(method.call("k")).isCompletedWithValue(null);
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aFutureCompletingWithNullIsNotCachedWhenCacheNullsIsOff(TierSetting setting) throws Throwable {
    FutureMethod method = method(setting, RulePolicy.builder().cacheNulls(false))
        .completing(n -> CompletableFuture.completedFuture(n == 1 ? null : "v" + n));
    assertThat(valueOf(method.call("k"))).isNull();
    tiers.flush();
    assertThat(valueOf(method.call("k"))).as("the null was not kept: the next call loads").isEqualTo("v2");
    tiers.flush();
    assertThat(method.call("k")).isCompletedWithValue("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  @SuppressWarnings("unchecked")
  void withCopyOnReadEachCallerCompletesWithItsOwnCopy(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).copyOnRead(true), ArrayList.class);
    FutureMethod method = new FutureMethod(rule, ArrayList.class)
        .completing(n -> CompletableFuture.completedFuture(new ArrayList<>(List.of("v" + n))));
    List<String> first = (List<String>) valueOf(method.call("k"));
    first.add("changed by the first caller");
    tiers.flush();

    List<String> hit = (List<String>) valueOf(method.call("k"));
    assertThat(hit).as("a hit does not see another caller's change").containsExactly("v1");
    hit.add("changed by the second caller");
    assertThat((List<String>) valueOf(method.call("k"))).containsExactly("v1");
    assertThat(method.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aJoinedCallerPastLoadTimeoutCallsTheMethodItself(TierSetting setting) throws Throwable {
    tiers = Tiers.withRefreshThreads(setting);
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).loadTimeout(Duration.ofMillis(200)), String.class);
    FutureMethod method = new FutureMethod(rule, String.class);
    CompletableFuture<Object> stuck = method.call("k");
    method.completing();

    CompletableFuture<Object> joined = method.call("k");
    assertThat(joined).isNotDone();
    assertThat(valueOf(joined)).as("its own call, made after load-timeout").isEqualTo("v2");
    assertThat(stuck).isNotDone();
    method.upstream(1).complete("v1");
    assertThat(stuck).isCompletedWithValue("v1");
  }
}
