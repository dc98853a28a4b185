package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.Evictions.assertNewValue;
import static dev.tieredcache.runtime.concurrency.Evictions.assertNothingEvictedIsHeld;
import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.MemoryTier;
import org.junit.jupiter.api.Test;

/**
 * The memory tier's front table (the hit path's short way), model-checked: a reader that refills the table from
 * Caffeine while the key is evicted, or while a load writes a newer value, never leaves the replaced value where a
 * later call finds it. Every call goes the agent's way: the front table first, then the full decision.
 */
class FrontTableRaceTest {

  @Test
  void aHitRacingAnEvictNeverPutsTheEvictedValueBackInFront() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      cache.call();
      Object[] afterEvict = new Object[1];

      inParallel(cache::call, () -> {
        cache.source.change();
        cache.rule.evict(RuleUnderTest.KEY);
        afterEvict[0] = cache.call();
      });

      assertNewValue(afterEvict[0], cache);
      assertNothingEvictedIsHeld(cache);
      assertNewValue(cache.call(), cache);
    });
  }

  @Test
  void aHitRacingAnEvictAllNeverPutsTheEvictedValueBackInFront() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      cache.call();
      cache.call();
      Object[] afterEvict = new Object[1];

      inParallel(cache::call, () -> {
        cache.source.change();
        cache.rule.evictAll();
        afterEvict[0] = cache.call();
      });

      assertNewValue(afterEvict[0], cache);
      assertNothingEvictedIsHeld(cache);
      assertNewValue(cache.call(), cache);
    });
  }

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
