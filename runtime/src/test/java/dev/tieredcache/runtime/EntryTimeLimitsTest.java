package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5: the header times of an entry from elsewhere (Redis, another host) are held to what the rule's policy
 * allows: fresh at most ttl + the greatest jitter after it was written, stale at most the stale window after that,
 * and never written later than now.
 */
class EntryTimeLimitsTest {

  private static final long NOW = 1_700_000_000_000L;
  /** ttl 10 s, jitter up to 1 s, stale window max(swr 1 min, sie 1 h). */
  private static final EntryTimeLimits LIMITS = new EntryTimeLimits(RulePolicy.builder().name("r")
      .ttl(Duration.ofSeconds(10)).jitter(Duration.ofSeconds(1)).staleWhileRevalidate(Duration.ofMinutes(1))
      .staleIfError(Duration.ofHours(1)).build());
  private static final long MAX_FRESH = 11_000;
  private static final long STALE_WINDOW = 3_600_000;

  @Test
  void timesWithinThePolicyAreKeptAsTheyAre() {
    CacheEntry entry = new CacheEntry("v", NOW - 5_000, NOW + 5_000, NOW + 60_000);

    assertThat(LIMITS.clamp(entry, NOW)).isSameAs(entry);
  }

  @Test
  void aFreshUntilOfLongMaxValueIsNotFreshForEver() {
    CacheEntry clamped = LIMITS.clamp(new CacheEntry("v", NOW, Long.MAX_VALUE, Long.MAX_VALUE), NOW);

    assertThat(clamped.freshUntil()).isEqualTo(NOW + MAX_FRESH);
    assertThat(clamped.staleUntil()).isEqualTo(NOW + MAX_FRESH + STALE_WINDOW);
    assertThat(clamped.state(NOW + MAX_FRESH)).isEqualTo(EntryState.STALE);
    assertThat(clamped.state(NOW + MAX_FRESH + STALE_WINDOW)).isEqualTo(EntryState.MISSING);
  }

  @Test
  void anOldEntryClaimingToBeFreshForAYearIsNotFresh() {
    CacheEntry clamped = LIMITS.clamp(new CacheEntry("v", NOW - 60_000, NOW + 365L * 86_400_000,
        NOW + 365L * 86_400_000), NOW);

    assertThat(clamped.state(NOW)).isEqualTo(EntryState.STALE);
    assertThat(clamped.freshUntil()).isEqualTo(NOW - 60_000 + MAX_FRESH);
  }

  @Test
  void staleUntilBeforeFreshUntilIsRaisedToIt() {
    CacheEntry clamped = LIMITS.clamp(new CacheEntry("v", NOW, NOW + 5_000, Long.MIN_VALUE), NOW);

    assertThat(clamped.staleUntil()).isEqualTo(NOW + 5_000);
  }

  @Test
  void anEntryWrittenFurtherInTheFutureThanClocksDifferIsRefused() {
    assertThat(LIMITS.clamp(new CacheEntry("v", NOW + EntryTimeLimits.CLOCK_SKEW_MS + 1, NOW + 10_000,
        NOW + 20_000), NOW)).isNull();
    assertThat(LIMITS.clamp(new CacheEntry("v", Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), NOW)).isNull();
  }

  @Test
  void anEntryWrittenWithinTheClockAllowanceAheadCountsAsWrittenNow() {
    CacheEntry clamped = LIMITS.clamp(new CacheEntry("v", NOW + 900, Long.MAX_VALUE, Long.MAX_VALUE), NOW);

    assertThat(clamped.writtenAt()).as("written: a remote change at now must reach it").isEqualTo(NOW);
    assertThat(clamped.freshUntil()).isEqualTo(NOW + MAX_FRESH);
  }

  @Test
  void aRemoteTimeLaterThanNowPlusTheAllowanceIsTakenAsThat() {
    assertThat(EntryTimeLimits.happenedAt(Long.MAX_VALUE, NOW)).isEqualTo(NOW + EntryTimeLimits.CLOCK_SKEW_MS);
    assertThat(EntryTimeLimits.happenedAt(NOW - 5, NOW)).isEqualTo(NOW - 5);
  }
}
