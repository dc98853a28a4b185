package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §3/§4: each write gets a random extra fresh time J in [0, max jitter]; the stale window follows it. */
class JitterTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final int WRITES = 1_000;

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();

  @AfterEach
  void close() {
    fixture.close();
  }

  /** Writes {@link #WRITES} keys and returns freshUntil - writtenAt of each, checking the stale window too. */
  private LongSummaryStatistics freshTimes(RuleCache rule, Set<Long> distinct) throws Throwable {
    CallSite site = new CallSite(rule, method);
    LongSummaryStatistics stats = new LongSummaryStatistics();
    long staleWindow = rule.policy().staleWindow().toMillis();
    for (int i = 0; i < WRITES; i++) {
      site.call("k" + i);
      CacheEntry entry = rule.peek("k" + i);
      assertThat(entry.writtenAt()).isEqualTo(fixture.clock.millis());
      assertThat(entry.staleUntil() - entry.freshUntil()).isEqualTo(staleWindow);
      long fresh = entry.freshUntil() - entry.writtenAt();
      stats.accept(fresh);
      distinct.add(fresh);
    }
    return stats;
  }

  @Test
  void fractionJitterKeepsFreshTimeBetweenTtlAndTtlPlusTheFraction() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).jitter(0.5));
    Set<Long> distinct = new HashSet<>();

    LongSummaryStatistics fresh = freshTimes(rule, distinct);

    assertThat(fresh.getMin()).isGreaterThanOrEqualTo(10_000).isLessThan(11_250);
    assertThat(fresh.getMax()).isLessThanOrEqualTo(15_000).isGreaterThan(13_750);
    assertThat(distinct).hasSizeGreaterThan(100);
  }

  @Test
  void durationJitterKeepsFreshTimeBetweenTtlAndTtlPlusTheDuration() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).jitter(Duration.ofMillis(300)));
    Set<Long> distinct = new HashSet<>();

    LongSummaryStatistics fresh = freshTimes(rule, distinct);

    assertThat(fresh.getMin()).isGreaterThanOrEqualTo(10_000).isLessThan(10_075);
    assertThat(fresh.getMax()).isLessThanOrEqualTo(10_300).isGreaterThan(10_225);
    assertThat(distinct).hasSizeGreaterThan(10);
  }

  @Test
  void defaultJitterIsTenPercentOfTtl() throws Throwable {
    RuleCache rule = fixture.rule(RulePolicy.builder().name("defaults").ttl(TTL));
    Set<Long> distinct = new HashSet<>();

    LongSummaryStatistics fresh = freshTimes(rule, distinct);

    assertThat(fresh.getMin()).isGreaterThanOrEqualTo(10_000);
    assertThat(fresh.getMax()).isLessThanOrEqualTo(11_000);
    assertThat(distinct).hasSizeGreaterThan(10);
  }

  @Test
  void zeroJitterMakesFreshTimeExactlyTtl() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL));
    Set<Long> distinct = new HashSet<>();

    LongSummaryStatistics fresh = freshTimes(rule, distinct);

    assertThat(distinct).containsExactly(10_000L);
    assertThat(fresh.getCount()).isEqualTo(WRITES);
  }

  @Test
  void rewritesOfOneKeyGetNewJitterEachTime() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).jitter(0.5));
    CallSite site = new CallSite(rule, method);
    Set<Long> distinct = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      site.call("k");
      CacheEntry entry = rule.peek("k");
      long fresh = entry.freshUntil() - entry.writtenAt();
      assertThat(fresh).isBetween(10_000L, 15_000L);
      distinct.add(fresh);
      rule.evict("k");
    }
    assertThat(distinct).hasSizeGreaterThan(20);
  }
}
