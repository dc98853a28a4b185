package dev.tieredcache.runtime;

/**
 * One storage level of a rule's values (memory, Redis). A tier never throws to its caller: a tier that cannot
 * answer behaves as if it held nothing.
 */
public interface Tier {

  /** The entry stored under {@code key}, or {@code null}. */
  CacheEntry get(String key);

  /** Stores {@code entry}; it is dropped once it turns missing. */
  void put(String key, CacheEntry entry);

  /** Removes one key. */
  void evict(String key);

  /** Removes every key of the rule. */
  void clear();
}
