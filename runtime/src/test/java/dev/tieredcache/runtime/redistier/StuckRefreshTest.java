package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §4 while a background refresh of a key stays in flight (queued behind busy refresh threads, or stuck in a
 * slow upstream call) past the stale limit of the value it replaces. A caller that then finds nothing usable waits
 * load-timeout and loads the key itself; the next caller finds that fresh value in the cache and gets it, the
 * upstream not called ("fresh: the cached value"), for every {@code tiers:} setting ("error-backoff, coalescing and
 * stale-while-revalidate hold the same for every tiers: setting").
 *
 * <p>Found by the model-based test ({@code dev.tieredcache.runtime.model.CallModelTest}). With {@code tiers: [redis]}
 * the runtime used to fail it: the caller joined the refresh still in flight before it looked at Redis, fell back to
 * that refresh's value (missing by then) instead of the fresh one in Redis, waited load-timeout and called the
 * upstream again, and so did every later caller of the key until the refresh ended; once the upstream failed, they
 * got its exception although the cache held a fresh value.
 */
class StuckRefreshTest extends OnOneRedisServer {

  enum Tiers {
    MEMORY_AND_REDIS(List.of(RulePolicy.TierKind.MEMORY, RulePolicy.TierKind.REDIS)),
    REDIS_ONLY(List.of(RulePolicy.TierKind.REDIS));

    final List<RulePolicy.TierKind> kinds;

    Tiers(List<RulePolicy.TierKind> kinds) {
      this.kinds = kinds;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Tiers.class)
  void freshValueIsServedWhileAnOlderRefreshOfTheKeyIsStillInFlight(Tiers tiers) throws Throwable {
    List<Runnable> neverRun = new ArrayList<>();
    try (TieredCache cache = TieredCache.builder().clock(clock).namespace(Instances.NAMESPACE).instanceId("a")
        .redis(RedisConfig.url(server.url(), Duration.ofSeconds(2))).refreshExecutor(neverRun::add).build()) {
      // ttl 10 s, stale-while-revalidate 1 min, stale-if-error 1 h
      RuleCache rule = Instances.rule(cache, Instances.policy().tiers(tiers.kinds).loadTimeout(Duration.ofMillis(1)),
          String.class);
      // the upstream answers twice, then fails: the fresh value in the cache must spare the caller that failure
      CountedMethod method = new CountedMethod().returning((call, key) -> {
        if (call > 2) {
          throw new IllegalStateException("upstream down (call " + call + ")");
        }
        return "v" + call;
      });
      Caller caller = new Caller(rule, method);

      assertThat(caller.call("k")).isEqualTo("v1");
      cache.flush(Duration.ofSeconds(5));
      clock.advance(Duration.ofSeconds(15));
      assertThat(caller.call("k")).as("stale within stale-while-revalidate: at once").isEqualTo("v1");
      assertThat(neverRun).as("its background refresh, which stays in flight").hasSize(1);

      clock.advance(Duration.ofHours(2));
      assertThat(caller.call("k")).as("v1 is missing: loaded again after load-timeout").isEqualTo("v2");
      cache.flush(Duration.ofSeconds(5));
      Object[] next = new Object[1];
      Throwable thrown = catchThrowable(() -> next[0] = caller.call("k"));

      assertThat(thrown).as("what the caller got instead of the fresh v2").isNull();
      assertThat(next[0]).isEqualTo("v2");
      assertThat(method.calls()).as("upstream calls (v2 is fresh in the cache)").isEqualTo(2);
    }
  }
}
