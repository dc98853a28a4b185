package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** SPEC §3: the defaults of a rule, and what a policy refuses. */
class RulePolicyTest {

  @Test
  void defaultsAreThoseOfTheRulesFile() {
    RulePolicy p = RulePolicy.DEFAULTS;

    assertThat(p.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.staleWhileRevalidate()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.staleIfError()).isEqualTo(Duration.ofHours(1));
    assertThat(p.jitterFraction()).isEqualTo(0.10);
    assertThat(p.jitterDuration()).isEmpty();
    assertThat(p.refreshAhead()).isEmpty();
    assertThat(p.errorBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.loadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.cacheNulls()).isTrue();
    assertThat(p.maxEntries()).isEqualTo(10_000);
    assertThat(p.copyOnRead()).isFalse();
    assertThat(p.distributedLock()).isFalse();
    assertThat(p.allowTypes()).isEmpty();
    assertThat(p.tiers()).containsExactly(RulePolicy.TierKind.MEMORY, RulePolicy.TierKind.REDIS);
  }

  @Test
  void staleWindowIsTheLongerOfStaleWhileRevalidateAndStaleIfError() {
    assertThat(RulePolicy.DEFAULTS.staleWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(RulePolicy.builder().staleWhileRevalidate(Duration.ofHours(2)).build().staleWindow())
        .isEqualTo(Duration.ofHours(2));
    assertThat(RulePolicy.builder().staleWhileRevalidate(Duration.ZERO).staleIfError(Duration.ZERO).build()
        .staleWindow()).isZero();
  }

  @Test
  void maxJitterIsAFractionOfTtlOrAFixedDuration() {
    assertThat(RulePolicy.builder().ttl(Duration.ofSeconds(10)).jitter(0.25).build().maxJitter())
        .isEqualTo(Duration.ofMillis(2_500));
    assertThat(RulePolicy.builder().ttl(Duration.ofSeconds(10)).jitter(Duration.ofSeconds(3)).build().maxJitter())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFractionSetAfterADurationReplacesIt() {
    RulePolicy p = RulePolicy.builder().ttl(Duration.ofSeconds(10)).jitter(Duration.ofSeconds(3)).jitter(0.5)
        .build();

    assertThat(p.jitterDuration()).isEmpty();
    assertThat(p.maxJitter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void toBuilderCopiesEveryField() {
    RulePolicy p = RulePolicy.builder().name("price").ttl(Duration.ofSeconds(5))
        .staleWhileRevalidate(Duration.ofSeconds(6)).staleIfError(Duration.ofSeconds(7))
        .jitter(Duration.ofMillis(8)).refreshAhead(OptionalDouble.of(0.9)).errorBackoff(Duration.ofSeconds(9))
        .loadTimeout(Duration.ofSeconds(11)).cacheNulls(false).maxEntries(12).copyOnRead(true)
        .distributedLock(true).allowTypes(List.of("com.acme.*")).tiers(List.of(RulePolicy.TierKind.REDIS)).build();

    assertThat(p.toBuilder().build()).usingRecursiveComparison().isEqualTo(p);
    assertThat(p.toBuilder().name("other").build().ttl()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void invalidValuesAreRefusedWithTheirName() {
    assertThatThrownBy(() -> RulePolicy.builder().ttl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> RulePolicy.builder().staleIfError(Duration.ofSeconds(-1)))
        .hasMessageContaining("stale-if-error");
    assertThatThrownBy(() -> RulePolicy.builder().jitter(1.5)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> RulePolicy.builder().jitter(Double.NaN)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> RulePolicy.builder().refreshAhead(OptionalDouble.of(1.0)))
        .hasMessageContaining("refresh-ahead");
    assertThatThrownBy(() -> RulePolicy.builder().refreshAhead(OptionalDouble.of(0.0)))
        .hasMessageContaining("refresh-ahead");
    assertThatThrownBy(() -> RulePolicy.builder().maxEntries(0)).hasMessageContaining("max-entries");
    assertThatThrownBy(() -> RulePolicy.builder().tiers(List.of())).hasMessageContaining("tier");
    assertThatThrownBy(() -> RulePolicy.builder().name(null)).isInstanceOf(NullPointerException.class);
  }
}
