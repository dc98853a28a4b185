package dev.tieredcache.runtime.concurrency;

import static dev.tieredcache.runtime.concurrency.RuleUnderTest.inParallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tieredcache.runtime.concurrency.VersionedSource.Read;
import dev.tieredcache.runtime.concurrency.VersionedSource.ReadFailed;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4 coalescing, model-checked: concurrent callers of a cold key claim its load once, share its outcome, and
 * release the claim, in every interleaving Lincheck explores. Assertions inside the checked block use JUnit's
 * {@code Assertions}: Lincheck 3.7 calls {@code equals} on objects it traces, which AssertJ's asserts refuse.
 */
class ClaimAndReleaseTest {

  private static final int CALLERS = 3;

  @Test
  void concurrentCallersOfAColdKeyShareOneUpstreamCallAndLeaveTheKeyUnclaimed() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      Object[] got = new Object[CALLERS];
      inParallel(caller(cache, got, 0), caller(cache, got, 1), caller(cache, got, 2));

      assertEquals(1, cache.source.reads(), "upstream calls for one cold key");
      Read first = assertInstanceOf(Read.class, got[0]);
      for (Object each : got) {
        assertSame(first, each, "every caller gets the one loaded value");
      }
      assertNotClaimedAfterwards(cache);
    });
  }

  @Test
  void whenTheSharedCallThrowsEveryCallerGetsTheExceptionOfTheLoadItWaitedOnAndTheKeyIsNotLeftClaimed() {
    ModelChecker.explore(() -> {
      RuleUnderTest cache = RuleUnderTest.withoutStaleWindow();
      cache.source.failing(true);
      Object[] got = new Object[CALLERS];
      inParallel(caller(cache, got, 0), caller(cache, got, 1), caller(cache, got, 2));

      // exceptions are not cached: a caller that comes after a failed load starts the next one
      assertEquals(cache.rule.metrics().loads(), cache.source.reads(), "one upstream call per load");
      Set<Object> thrown = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Object each : got) {
        thrown.add(assertInstanceOf(ReadFailed.class, each, "every caller gets an exception the upstream threw"));
      }
      assertEquals(cache.source.reads(), thrown.size(), "each load's exception reaches its callers, and only it");
      assertNull(cache.rule.peek(RuleUnderTest.KEY), "an exception is not cached");
      cache.source.failing(false);
      assertNotClaimedAfterwards(cache);
    });
  }

  private static Runnable caller(RuleUnderTest cache, Object[] got, int index) {
    return () -> got[index] = cache.call();
  }

  /** A call after the value turned missing starts a load of its own at once: nothing holds the key. */
  private static void assertNotClaimedAfterwards(RuleUnderTest cache) {
    int readsBefore = cache.source.reads();
    long waitsBefore = cache.rule.metrics().coalescedWaits();
    cache.advance(RuleUnderTest.TTL);

    Object later = cache.call();

    assertInstanceOf(Read.class, later, "the later call returns a value");
    assertEquals(readsBefore + 1, ((Read) later).read, "the later call loads anew");
    assertEquals(waitsBefore, cache.rule.metrics().coalescedWaits(), "the later call waits for no load");
    assertEquals(0, cache.refreshes.size(), "nothing was left for a background refresh");
  }
}
