package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.MemoryTier;
import org.junit.jupiter.api.Test;

/**
 * The memory tier's front table (the hit path's short way), model-checked: a reader that refills the table from
 * Caffeine while the key is evicted, written or the tier cleared never leaves the replaced value where a later read
 * finds it. (The rule-level evict tests, EvictDuringLoadTest and the others, run through the table too: every call
 * of RuleUnderTest goes the agent's way, the front table first. Run against a fill that is a plain write instead of a
 * compare-and-set, the evict and write cases here fail; rule-level cases tried for this did not, and were dropped.)
 */
class FrontTableRaceTest {

  private static final long NOW = 1_700_000_000_000L;

  private static CacheEntry entry(String value) {
    return new CacheEntry(value, NOW, NOW + 10_000, NOW + 20_000);
  }

  /** The tier alone: a read that fills the key's slot from Caffeine while another thread evicts the key. */
  @Test
  void aReadFillingTheTableWhileTheKeyIsEvictedLeavesNothingBehind() {
    ModelChecker.explore(() -> {
      MemoryTier tier = new MemoryTier(100, () -> NOW);
      tier.put("k", entry("old"));

      inParallel(() -> tier.get("k"), () -> tier.evict("k"));

      assertNull(tier.get("k"), "the evicted value came back from the front table");
    });
  }

  /** The tier alone: a read that fills the key's slot from Caffeine while another thread writes a newer value. */
  @Test
  void aReadFillingTheTableWhileTheKeyIsWrittenLeavesTheNewerValue() {
    ModelChecker.explore(() -> {
      MemoryTier tier = new MemoryTier(100, () -> NOW);
      tier.put("k", entry("old"));
      CacheEntry newer = entry("new");

      inParallel(() -> tier.get("k"), () -> tier.put("k", newer));

      assertSame(newer, tier.get("k"), "the replaced value came back from the front table");
    });
  }

  /** The tier alone: a read that fills a slot while another thread clears the tier (a new epoch). */
  @Test
  void aReadFillingTheTableWhileTheTierIsClearedLeavesNothingBehind() {
    ModelChecker.explore(() -> {
      MemoryTier tier = new MemoryTier(100, () -> NOW);
      tier.put("k", entry("old"));

      inParallel(() -> tier.get("k"), tier::clear);

      assertNull(tier.get("k"), "the cleared value came back from the front table");
    });
  }
}
