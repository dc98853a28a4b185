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
  void aPublicEntryNeverRefreshesAhead() {
    assertThat(entry.refreshAt()).isEqualTo(Long.MAX_VALUE);
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
    CacheEntry ahead = new CacheEntry("v", 1_000, 2_000, 5_000, 1_800);

    assertThat(ahead.markedStale(1_500).refreshAt()).isEqualTo(Long.MAX_VALUE);
  }
}
