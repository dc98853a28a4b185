package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory tier keeps an entry until its stale limit, by the runtime's clock. */
class MemoryTierTest {

  private final ManualClock clock = new ManualClock();
  private final MemoryTier tier = new MemoryTier(1_000, clock);

  private CacheEntry entry(Object value, long freshFor, long staleFor) {
    long now = clock.millis();
    return new CacheEntry(value, now, now + freshFor, now + staleFor);
  }

  @Test
  void anEntryIsHeldUntilItsStaleLimitAndDroppedAtIt() {
    tier.put("k", entry("v", 1_000, 3_000));

    clock.advance(Duration.ofMillis(2_999));
    assertThat(tier.get("k").value()).isEqualTo("v");

    clock.advance(Duration.ofMillis(1));
    assertThat(tier.get("k")).isNull();
  }

  @Test
  void aStaleEntryIsStillReturned() {
    tier.put("k", entry("v", 1_000, 3_000));
    clock.advance(Duration.ofMillis(1_500));

    assertThat(tier.get("k").state(clock.millis())).isEqualTo(EntryState.STALE);
  }

  @Test
  void aReplacedEntryExpiresByItsOwnStaleLimit() {
    tier.put("k", entry("old", 1_000, 2_000));
    clock.advance(Duration.ofMillis(1_000));
    tier.put("k", entry("new", 1_000, 5_000));

    clock.advance(Duration.ofMillis(4_999));
    assertThat(tier.get("k").value()).isEqualTo("new");
    clock.advance(Duration.ofMillis(1));
    assertThat(tier.get("k")).isNull();
  }

  @Test
  void replaceOnlyReplacesTheExpectedEntry() {
    CacheEntry first = entry("a", 1_000, 2_000);
    CacheEntry second = entry("b", 1_000, 2_000);
    tier.put("k", first);

    assertThat(tier.replace("k", second, entry("c", 1_000, 2_000))).isFalse();
    assertThat(tier.get("k")).isSameAs(first);
    assertThat(tier.replace("k", first, second)).isTrue();
    assertThat(tier.get("k")).isSameAs(second);
  }

  @Test
  void evictAndClearRemoveEntries() {
    tier.put("a", entry("a", 1_000, 2_000));
    tier.put("b", entry("b", 1_000, 2_000));
    tier.put("c", entry("c", 1_000, 2_000));

    tier.evict("a");
    assertThat(tier.get("a")).isNull();
    assertThat(tier.get("b")).isNotNull();

    tier.clear();
    assertThat(tier.get("b")).isNull();
    assertThat(tier.get("c")).isNull();
    assertThat(tier.size()).isZero();
  }

  @Test
  void markStaleWrittenBeforeTurnsOnlyOlderEntriesStale() {
    tier.put("old", entry("old", 10_000, 20_000));
    clock.advance(Duration.ofMillis(100));
    long cut = clock.millis();
    tier.put("new", entry("new", 10_000, 20_000));
    clock.advance(Duration.ofMillis(100));

    tier.markStaleWrittenBefore(cut, clock.millis());

    assertThat(tier.get("old").state(clock.millis())).isEqualTo(EntryState.STALE);
    assertThat(tier.get("old").value()).isEqualTo("old");
    assertThat(tier.get("new").state(clock.millis())).isEqualTo(EntryState.FRESH);
  }

  @Test
  void anEntryThatNeverTurnsMissingIsKept() {
    long now = clock.millis();
    tier.put("k", new CacheEntry("v", now, Long.MAX_VALUE, Long.MAX_VALUE));

    clock.advance(Duration.ofDays(3650));
    assertThat(tier.get("k").value()).isEqualTo("v");
  }
}
