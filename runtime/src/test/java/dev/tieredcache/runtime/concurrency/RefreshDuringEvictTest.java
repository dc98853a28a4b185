package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.Evictions.assertNewValue;
import static dev.tieredcache.runtime.concurrency.Evictions.assertNothingEvictedIsHeld;
import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SPEC §4 evictions against stale-while-revalidate, model-checked: a background refresh that runs while its key is
 * evicted does not store its result over the evict, and a caller after the evict gets the new value.
 */
class RefreshDuringEvictTest {

  @Test
  void aBackgroundRefreshRunningDuringAnEvictIsNotStoredOverIt() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withStaleWhileRevalidate();
      cache.call();
      cache.advance(RuleUnderTest.TTL);
      cache.call();
      assertEquals(1, cache.refreshes.size(), "the stale hit started one background refresh");
      Object[] afterEvict = new Object[1];

      inParallel(cache.refreshes::runNext, () -> {
        cache.source.change();
        cache.rule.evict(RuleUnderTest.KEY);
        afterEvict[0] = cache.call();
      });

      assertNewValue(afterEvict[0], cache);
      assertNothingEvictedIsHeld(cache);
    });
  }
}
