package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.Evictions.assertNewValue;
import static dev.tieredcache.runtime.concurrency.Evictions.assertNothingEvictedIsHeld;
import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;

import org.junit.jupiter.api.Test;

/**
 * SPEC §4 "when an evicting method returns, no later call in that instance gets an evicted value", model-checked: a
 * load of the key in flight while it is evicted does not store its result, and a caller after the evict does not get
 * it (nor join that load), whatever the interleaving. The evicting thread changes the data first, as an evicting
 * method does before its evict rule runs.
 */
class EvictDuringLoadTest {

  @Test
  void aLoadInFlightDuringAnEvictIsNotStoredAndACallerAfterTheEvictGetsTheNewValue() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      Object[] afterEvict = new Object[1];

      inParallel(cache::call, () -> {
        cache.source.change();
        cache.rule.evict(RuleUnderTest.KEY);
        afterEvict[0] = cache.call();
      });

      assertNewValue(afterEvict[0], cache);
      assertNothingEvictedIsHeld(cache);
    });
  }

  @Test
  void aLoadInFlightDuringAnEvictAllIsNotStoredAndACallerAfterItGetsTheNewValue() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      Object[] afterEvict = new Object[1];

      inParallel(cache::call, () -> {
        cache.source.change();
        cache.rule.evictAll();
        afterEvict[0] = cache.call();
      });

      assertNewValue(afterEvict[0], cache);
      assertNothingEvictedIsHeld(cache);
    });
  }
}
