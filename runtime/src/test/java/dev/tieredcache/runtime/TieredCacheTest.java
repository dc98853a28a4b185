package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TieredCacheTest {

  @Test
  void rulesAreFoundByNameAndListedInTheOrderAdded() {
    ManualClock clock = new ManualClock();
    try (TieredCache cache = TieredCache.builder().clock(clock).build()) {
      RuleCache b = cache.addRule(RulePolicy.builder().name("b").build());
      RuleCache a = cache.addRule(RulePolicy.builder().name("a").build());

      assertThat(cache.clock()).isSameAs(clock);
      assertThat(cache.rule("a")).containsSame(a);
      assertThat(cache.rule("missing")).isEmpty();
      assertThat(cache.rules()).containsExactly(b, a);
      assertThat(a.name()).isEqualTo("a");
      assertThat(a.policy().name()).isEqualTo("a");
    }
  }

  @Test
  void aRuleNameCanBeAddedOnlyOnce() {
    try (TieredCache cache = TieredCache.builder().clock(new ManualClock()).build()) {
      cache.addRule(RulePolicy.builder().name("price").build());

      assertThatThrownBy(() -> cache.addRule(RulePolicy.builder().name("price").build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("price");
    }
  }

  @Test
  void withoutAClockTheCacheRunsOnItsOwnWallClock() {
    try (TieredCache cache = TieredCache.builder().build()) {
      assertThat(cache.clock()).isInstanceOf(TickingClock.class);
      assertThat(Math.abs(cache.clock().millis() - System.currentTimeMillis())).isLessThan(1_000);
    }
  }

  @Test
  void refreshPoolSizesMustBePositive() {
    assertThatThrownBy(() -> TieredCache.builder().refreshThreads(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TieredCache.builder().refreshQueue(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
