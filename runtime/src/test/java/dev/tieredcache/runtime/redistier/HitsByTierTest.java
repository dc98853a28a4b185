package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.RuleMetrics;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6: a call of a rule with memory and Redis is one fresh hit, one stale hit or one miss, and a hit answered
 * from Redis after memory missed counts as a hit of tier Redis, not as a miss.
 */
class HitsByTierTest extends OnOneRedisServer {

  private static final List<RulePolicy.TierKind> BOTH = List.of(RulePolicy.TierKind.MEMORY,
      RulePolicy.TierKind.REDIS);

  @Test
  void aValueAnotherInstanceLoadedCountsAsAFreshRedisHitThenAsFreshMemoryHits() throws Throwable {
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(rule("a"), method);
    Caller b = new Caller(rule("b"), method);

    a.call("k");
    awaitInRedis("t:r:k");
    b.call("k");
    b.call("k");
    b.call("k");

    RuleMetrics seen = b.rule().metrics();
    assertThat(method.calls()).isEqualTo(1);
    assertThat(seen.misses()).isZero();
    assertThat(seen.freshHits()).isEqualTo(3);
    assertThat(seen.redisFreshHits()).isEqualTo(1);
    assertThat(seen.redisStaleHits()).isZero();
    assertThat(seen.redisHits()).isEqualTo(1);
    assertThat(a.rule().metrics().misses()).isEqualTo(1);
    assertThat(a.rule().metrics().redisFreshHits()).isZero();
  }

  @Test
  void aStaleValueInRedisCountsAsAStaleRedisHit() throws Throwable {
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(rule("a"), method);
    Caller b = new Caller(rule("b"), method);

    a.call("k");
    awaitInRedis("t:r:k");
    clock.advance(Duration.ofSeconds(11));
    b.call("k");

    RuleMetrics seen = b.rule().metrics();
    assertThat(seen.staleHits()).isEqualTo(1);
    assertThat(seen.redisStaleHits()).isEqualTo(1);
    assertThat(seen.misses()).isZero();
  }

  private RuleCache rule(String instance) {
    return Instances.rule(instances.open(instance, clock), Instances.policy().tiers(BOTH), String.class);
  }

  private static void awaitInRedis(String redisKey) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> jedis.exists(redisKey));
  }
}
