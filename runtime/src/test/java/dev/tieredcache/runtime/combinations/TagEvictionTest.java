package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §3 "Tags": an evict by tag makes every entry that carried the tag when written count as missing, in every
 * rule and tier, while entries without it stay; values written after the evict are served as usual. Run for every
 * {@code tiers:} setting, with copy-on-read off and on. Keys starting with "a" carry tag {@code cat:1}, others
 * {@code cat:2}; time is a hand-moved clock.
 */
class TagEvictionTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private final List<Tiers> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Tiers::close);
  }

  static Stream<Arguments> settings() {
    List<Arguments> all = new ArrayList<>();
    for (TierSetting setting : TierSetting.values()) {
      all.add(Arguments.of(setting, false));
      all.add(Arguments.of(setting, true));
    }
    return all.stream();
  }

  private Tiers tiers(TierSetting setting) {
    Tiers tiers = Tiers.of(setting);
    opened.add(tiers);
    return tiers;
  }

  private static Method tagged(Tiers tiers, RulePolicy.Builder policy) {
    RuleCache rule = tiers.rule(policy, String.class);
    return new Method(rule, String.class).tagged(TagEvictionTest::categoryOf);
  }

  private static String[] categoryOf(Object argument, Object value) {
    return new String[] {((String) argument).startsWith("a") ? "cat:1" : "cat:2", "all"};
  }

  @ParameterizedTest
  @MethodSource("settings")
  void entriesCarryingTheEvictedTagMissAndOthersStay(TierSetting setting, boolean copyOnRead) throws Throwable {
    Tiers tiers = tiers(setting);
    Method method = tagged(tiers, RulePolicy.builder().ttl(TTL).copyOnRead(copyOnRead));
    assertThat(method.call("a1")).isEqualTo("v1");
    assertThat(method.call("b1")).isEqualTo("v2");
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));

    tiers.cache.evictTag("cat:1");
    // a value written in the millisecond of the evict counts as written before it (the clock cannot tell them apart)
    tiers.clock.advance(Duration.ofMillis(1));

    assertThat(method.call("a1")).as("tagged cat:1: loaded again").isEqualTo("v3");
    assertThat(method.call("b1")).as("tagged cat:2: still cached").isEqualTo("v2");
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));
    assertThat(method.call("a1")).as("written after the evict: served").isEqualTo("v3");
    assertThat(method.calls()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void anEvictReachesEveryRuleAndLeavesUntaggedRulesAlone(TierSetting setting) throws Throwable {
    Tiers tiers = tiers(setting);
    Method first = tagged(tiers, RulePolicy.builder().ttl(TTL));
    RuleCache second = tiers.cache.addRule(RulePolicy.builder().name("second").ttl(TTL).jitter(0.0)
        .tiers(setting.kinds).build());
    second.bindValueType(String.class, getClass().getClassLoader());
    Method other = new Method(second, String.class).tagged(TagEvictionTest::categoryOf);
    RuleCache plain = tiers.cache.addRule(RulePolicy.builder().name("plain").ttl(TTL).jitter(0.0)
        .tiers(setting.kinds).build());
    plain.bindValueType(String.class, getClass().getClassLoader());
    Method untagged = new Method(plain, String.class);
    first.call("a1");
    other.call("a2");
    untagged.call("a1");
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));

    tiers.cache.evictTag("all");

    assertThat(first.call("a1")).isEqualTo("v2");
    assertThat(other.call("a2")).isEqualTo("v2");
    assertThat(untagged.call("a1")).as("a rule without tags keeps its entries").isEqualTo("v1");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aCachedNullCarryingTheTagMissesToo(TierSetting setting) throws Throwable {
    Tiers tiers = tiers(setting);
    Method method = tagged(tiers, RulePolicy.builder().ttl(TTL).cacheNulls(true))
        .behave((n, key) -> n == 1 ? null : "v" + n);
    assertThat(method.call("a1")).isNull();
    tiers.flush();
    assertThat(method.call("a1")).as("the null is cached").isNull();
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));

    tiers.cache.evictTag("cat:1");

    assertThat(method.call("a1")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  /**
   * Decision: an entry whose tag was evicted is never served, not even as a stale value while the upstream fails
   * (stale-if-error): the evict said the data changed, so the old value is wrong, not merely old.
   */
  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aStaleEntryWhoseTagWasEvictedIsNotServedOnTheUpstreamsError(TierSetting setting) throws Throwable {
    Tiers tiers = tiers(setting);
    Method method = tagged(tiers, RulePolicy.builder().ttl(TTL).staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofHours(1)));
    method.call("a1");
    method.call("b1");
    tiers.flush();
    tiers.clock.advance(TTL.plusSeconds(1));
    IllegalStateException down = new IllegalStateException("upstream down");
    method.behave((n, key) -> {
      throw down;
    });

    tiers.cache.evictTag("cat:1");

    assertThatThrownBy(() -> method.call("a1")).isSameAs(down);
    assertThat(method.call("b1")).as("untouched by the evict: stale-if-error as usual").isEqualTo("v2");
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void aValueLoadedWhileItsTagWasEvictedIsNotKept(TierSetting setting) throws Throwable {
    Tiers tiers = tiers(setting);
    Method method = tagged(tiers, RulePolicy.builder().ttl(TTL));
    method.behave((n, key) -> {
      if (n == 1) {
        // the data changed while the load ran, after it read its value
        tiers.clock.advance(Duration.ofMillis(5));
        tiers.cache.evictTag("cat:1");
        tiers.clock.advance(Duration.ofMillis(5));
      }
      return "v" + n;
    });

    assertThat(method.call("a1")).as("the caller of the load gets its value").isEqualTo("v1");
    tiers.flush();
    assertThat(method.call("a1")).as("but it counts as written before the evict").isEqualTo("v2");
    tiers.flush();
    assertThat(method.call("a1")).isEqualTo("v2");
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"REDIS", "MEMORY_AND_REDIS"})
  void anInstanceStartedAfterTheEvictDoesNotServeTaggedValuesFromRedis(TierSetting setting) throws Throwable {
    Tiers tiers = tiers(setting);
    Method method = tagged(tiers, RulePolicy.builder().ttl(TTL));
    method.call("a1");
    method.call("b1");
    tiers.flush();
    tiers.clock.advance(Duration.ofMillis(5));
    tiers.cache.evictTag("cat:1");
    tiers.flush();

    Tiers later = tiers.another();
    opened.add(later);
    later.clock.advance(Duration.ofMillis(20));
    Method there = tagged(later, RulePolicy.builder().ttl(TTL));

    assertThat(there.call("a1")).as("tagged cat:1 in Redis, written before the evict").isEqualTo("v1");
    assertThat(there.calls()).isEqualTo(1);
    assertThat(there.call("b1")).as("cat:2, from Redis").isEqualTo("v2");
    assertThat(there.calls()).isEqualTo(1);
  }
}
