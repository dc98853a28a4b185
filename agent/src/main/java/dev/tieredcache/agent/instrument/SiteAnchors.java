package dev.tieredcache.agent.instrument;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps sites reachable from the class they instrument (a {@link ClassValue}, stored in the class itself) rather than
 * from the agent: a site bound to a class loader's partition of its rule holds that partition, whose memory tier
 * holds values of the loader's classes. Anchored on the class, they live exactly as long as the loader does; the
 * {@link SiteRegistry} then holds the site weakly.
 */
final class SiteAnchors {

  private static final ClassValue<Set<Object>> HELD = new ClassValue<Set<Object>>() {
    @Override
    protected Set<Object> computeValue(Class<?> type) {
      return ConcurrentHashMap.newKeySet(2);
    }
  };

  private SiteAnchors() {}

  /** Keeps {@code site} reachable as long as {@code type} is. */
  static void hold(Class<?> type, Object site) {
    HELD.get(type).add(site);
  }

  /** Undoes {@link #hold} (the site was retired). */
  static void release(Class<?> type, Object site) {
    HELD.get(type).remove(site);
  }
}
