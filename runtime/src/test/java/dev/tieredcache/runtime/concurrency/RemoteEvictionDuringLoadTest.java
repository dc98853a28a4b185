package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.Evictions.assertNewValue;
import static dev.tieredcache.runtime.concurrency.Evictions.assertNothingEvictedIsHeld;
import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4/§5, model-checked: another instance's eviction or newer write, applied from the backplane while a load of
 * the key runs here, works like a local evict: the load is not stored, and a call after the message was applied gets
 * the new value. The other instance changed the data before it published.
 */
class RemoteEvictionDuringLoadTest {

  @Test
  void aLoadInFlightWhenAnEvictArrivesFromTheBackplaneIsNotStored() {
    loadRacesRemote(BackplaneMessage.Action.EVICT);
  }

  @Test
  void aLoadInFlightWhenANewerWriteArrivesFromTheBackplaneIsNotStored() {
    loadRacesRemote(BackplaneMessage.Action.SET);
  }

  private static void loadRacesRemote(BackplaneMessage.Action action) {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      Object[] afterMessage = new Object[1];

      inParallel(cache::call, () -> {
        cache.source.change();
        cache.applyRemote(action);
        afterMessage[0] = cache.call();
      });

      assertNewValue(afterMessage[0], cache);
      assertNothingEvictedIsHeld(cache);
    });
  }
}
