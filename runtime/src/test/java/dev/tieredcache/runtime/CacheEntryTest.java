package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheEntryTest {

  private final CacheEntry entry = new CacheEntry("v", 1_000, 2_000, 5_000);

  @Test
  void stateIsFreshBeforeFreshUntilStaleBeforeStaleUntilThenMissing() {
    assertThat(entry.state(1_000)).isEqualTo(EntryState.FRESH);
    assertThat(entry.state(1_999)).isEqualTo(EntryState.FRESH);
    assertThat(entry.state(2_000)).isEqualTo(EntryState.STALE);
    assertThat(entry.state(4_999)).isEqualTo(EntryState.STALE);
    assertThat(entry.state(5_000)).isEqualTo(EntryState.MISSING);
  }

  @Test
  void aPublicEntryNeverRefreshesAheadAndHasNoFailures() {
    assertThat(entry.refreshAt()).isEqualTo(Long.MAX_VALUE);
    assertThat(entry.failedRefreshes()).isZero();
    assertThat(entry.retryAt()).isZero();
  }

  @Test
  void aFailedRefreshKeepsValueAndTimesAndCountsUp() {
    CacheEntry failed = entry.withFailedRefresh(9_000).withFailedRefresh(12_000);

    assertThat(failed.value()).isEqualTo("v");
    assertThat(failed.writtenAt()).isEqualTo(1_000);
    assertThat(failed.freshUntil()).isEqualTo(2_000);
    assertThat(failed.staleUntil()).isEqualTo(5_000);
    assertThat(failed.failedRefreshes()).isEqualTo(2);
    assertThat(failed.retryAt()).isEqualTo(12_000);
  }

  @Test
  void markedStaleTurnsAFreshEntryStaleNowAndKeepsItUsableUntilItsStaleLimit() {
    CacheEntry marked = entry.markedStale(1_500);

    assertThat(marked.state(1_500)).isEqualTo(EntryState.STALE);
    assertThat(marked.staleUntil()).isEqualTo(5_000);
    assertThat(marked.value()).isEqualTo("v");
    assertThat(marked.writtenAt()).isEqualTo(1_000);
  }

  @Test
  void markedStaleLeavesAnEntryThatIsAlreadyStaleAsItIs() {
    assertThat(entry.markedStale(2_000)).isSameAs(entry);
    assertThat(entry.markedStale(3_000)).isSameAs(entry);
  }

  @Test
  void markedStaleStopsRefreshAhead() {
    CacheEntry ahead = new CacheEntry("v", 1_000, 2_000, 5_000, 1_800, 0, 0);

    assertThat(ahead.markedStale(1_500).refreshAt()).isEqualTo(Long.MAX_VALUE);
  }
}
