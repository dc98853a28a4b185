package dev.tieredcache.runtime.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tieredcache.runtime.concurrency.VersionedSource.Read;

/**
 * What every model-checked evict test asserts: once the evicting step has returned, no call gets a value read before
 * the data changed, and no such value stays in the cache.
 */
final class Evictions {

  private Evictions() {}

  /** A call made after the evict returned: it gets a value of the changed data. */
  static void assertNewValue(Object afterEvict, RuleUnderTest cache) {
    Read read = assertInstanceOf(Read.class, afterEvict, "a call after the evict returns a value");
    assertEquals(cache.source.version(), read.version,
        "a call after the evict got " + read + ", read before the evict changed the data");
  }

  /** After every thread is done: the cache holds nothing, or a value of the changed data. */
  static void assertNothingEvictedIsHeld(RuleUnderTest cache) {
    Object held = cache.held();
    if (held != null) {
      assertEquals(cache.source.version(), ((Read) held).version, "the cache kept " + held + " over the evict");
    }
  }
}
