package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The in-process tier of one rule: a Caffeine cache bounded by the rule's max-entries. An entry is gone once it
 * turns missing (at its stale limit, by the runtime's clock): a read never returns it, and {@link #sweep} removes
 * the ones nobody reads.
 *
 * <p>Expiry is checked here rather than by Caffeine's variable expiry, which measured at about 20 ns extra per
 * hit (HitPathBenchmark), more than the rest of a hit together.
 *
 * <p>In front of Caffeine sits a small table of recently read entries, one slot per hash (at most 1,024 slots, and
 * never more than max-entries): a hit found there is an array read and a key comparison, without Caffeine's hash
 * table walk and access bookkeeping. The table only ever holds what Caffeine held a moment ago, and every change of
 * a key made here (write, replace, remove, evict, sweep) first changes Caffeine and then puts a new empty marker
 * into the key's slot; a reader fills a slot from Caffeine only by a compare-and-set against the slot it saw before
 * it read Caffeine. So a read that begins after a change of its key has returned never sees the value the change
 * replaced: either the reader saw the marker (and read Caffeine after the change), or the change's marker came
 * after the reader's look and the reader's fill fails. A change of every key (clear, marking all stale) starts a new
 * epoch instead, in one write: a slot filled under an earlier epoch is not used, and a reader fills a slot with the
 * epoch it saw before it read Caffeine. A slot keeps its key until a change of a key of
 * that slot or a fill after its value turns non-fresh; an entry Caffeine dropped for size may therefore still be
 * served from here while fresh, so the tier holds at most max-entries plus the table's slots.
 */
public final class MemoryTier implements Tier {

  private static final int MAX_FRONT_SLOTS = 1024;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Front[].class);
  /** Where the front table keeps its epoch: an entry filled under an earlier epoch is not served. */
  private static final int EPOCH = 0;

  private final Cache<String, CacheEntry> cache;
  private final ConcurrentMap<String, CacheEntry> map;
  private final CacheClock clock;
  /** The front table: {@link Front} records, or {@code null} before a slot's first fill; read and written atomically. */
  private final Front[] front;

  public MemoryTier(long maxEntries, CacheClock clock) {
    this.clock = clock;
    int slots = Integer.highestOneBit((int) Math.max(1, Math.min(MAX_FRONT_SLOTS, maxEntries)));
    // slot 0 holds the table's epoch (see clear); keys use the slots after it
    this.front = new Front[slots + 1];
    front[EPOCH] = new Front(null, null, null);
    // maintenance on the caller's thread: never the host's ForkJoinPool.commonPool()
    this.cache = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(maxEntries)
        .build();
    this.map = cache.asMap();
  }

  @Override
  public CacheEntry get(String key) {
    return get(key, clock.millis());
  }

  /** {@link #get(String)} for a caller that has read the clock already ({@code now}): the hit path reads it once. */
  CacheEntry get(String key, long now) {
    Front[] slots = front;
    int slot = slotOf(slots, key);
    Front seen = (Front) SLOTS.getAcquire(slots, slot);
    Front epoch = (Front) SLOTS.getAcquire(slots, EPOCH);
    if (seen != null && seen.epoch == epoch) {
      String held = seen.key;
      if ((held == key || key.equals(held)) && now < seen.entry.staleUntil()) {
        return seen.entry;
      }
    }
    return getThrough(key, now, slot, seen, epoch);
  }

  /**
   * The front table, for {@link #servable}: a caller on the hit path keeps it in a field of its own, which saves
   * the loads of this tier and its table on every hit.
   */
  Front[] frontTable() {
    return front;
  }

  /**
   * The slot of {@code key} in {@code table} (a {@link #frontTable}) when its value may be served as is at
   * {@code now}: the entry is fresh with nothing due (before its quiet time) and its value is not {@code null}; a
   * tagged entry's tags are the caller's to check ({@link Front#tagged}). Otherwise {@code null}, and the caller
   * reads the tier the long way ({@link #get(String, long)}).
   */
  static Front servable(Front[] table, String key, long now) {
    Front seen = (Front) SLOTS.getAcquire(table, slotOf(table, key));
    if (seen != null && now < seen.servableUntil && seen.epoch == SLOTS.getAcquire(table, EPOCH)) {
      String held = seen.key;
      if (held == key || key.equals(held)) {
        return seen;
      }
    }
    return null;
  }

  /** The read from Caffeine behind {@link #get(String, long)}; fills the key's slot with what it found. */
  private CacheEntry getThrough(String key, long now, int slot, Front seen, Front epoch) {
    CacheEntry e = cache.getIfPresent(key);
    if (e == null) {
      return null;
    }
    if (now >= e.staleUntil()) {
      remove(key, e);
      return null;
    }
    if (seen == null || seen.key == null || seen.epoch != epoch || now >= seen.entry.quietUntil()
        || key.equals(seen.key)) {
      // a slot is taken from another key only once that key's value stopped being fresh, so two keys of one slot
      // read in turn do not replace each other (and allocate) on every read
      SLOTS.compareAndSet(front, slot, seen, new Front(key, e, epoch));
    }
    return e;
  }

  private static int slotOf(Front[] table, String key) {
    int h = key.hashCode();
    return 1 + ((h ^ (h >>> 16)) & (table.length - 2));
  }

  /** Puts a new marker into {@code key}'s slot, after a change of the key in Caffeine: see the class comment. */
  private void changed(String key) {
    SLOTS.setRelease(front, slotOf(front, key), new Front(null, null, null));
  }

  /**
   * Empties every slot at once, after a change of many keys in Caffeine: a new epoch, so what was filled before (or
   * is being filled from a read of Caffeine made before the change) is never served again.
   */
  private void changedAll() {
    SLOTS.setRelease(front, EPOCH, new Front(null, null, null));
  }

  /** Removes every entry that has turned missing; returns how many. */
  public int sweep() {
    long now = clock.millis();
    int removed = 0;
    for (Map.Entry<String, CacheEntry> e : map.entrySet()) {
      if (now >= e.getValue().staleUntil() && map.remove(e.getKey(), e.getValue())) {
        changed(e.getKey());
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void put(String key, CacheEntry entry) {
    cache.put(key, entry);
    changed(key);
  }

  /**
   * Stores {@code entry} unless {@code cancelled} says so at the moment of the write, atomically with other writes
   * of the key: an evict that cancels first and removes second can never leave (or let anyone read) an entry
   * written by the load it cancelled.
   */
  void putUnless(String key, CacheEntry entry, BooleanSupplier cancelled) {
    map.compute(key, (k, old) -> cancelled.getAsBoolean() ? old : entry);
    changed(key);
  }

  /** Replaces {@code expected} with {@code updated} only if the key still holds {@code expected}. */
  public boolean replace(String key, CacheEntry expected, CacheEntry updated) {
    boolean replaced = map.replace(key, expected, updated);
    changed(key);
    return replaced;
  }

  /** Removes {@code key} only if it still holds {@code expected}. */
  public boolean remove(String key, CacheEntry expected) {
    boolean removed = map.remove(key, expected);
    changed(key);
    return removed;
  }

  @Override
  public void evict(String key) {
    cache.invalidate(key);
    changed(key);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
    changedAll();
  }

  /** Turns every entry written before {@code before} stale at {@code now}; they stay usable as fallbacks. */
  public void markStaleWrittenBefore(long before, long now) {
    map.replaceAll((k, e) -> e.writtenAt() < before ? e.markedStale(now) : e);
    changedAll();
  }

  /** The keys held now: a live view, for the rare look-ups by something other than the key. */
  java.util.Set<String> keys() {
    return map.keySet();
  }

  /** Changes the bound of this tier (a rule replaced with another max-entries keeps its entries). */
  void resize(long maxEntries) {
    cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(maxEntries));
  }

  /**
   * A filled slot of the front table, or (with no key) the marker a change leaves: a new one each time, so a fill
   * compares against the very marker it saw. Never reused, never changed.
   * The value and the time it may be served until are copied out of the entry, so a hit reads one object.
   */
  static final class Front {
    final String key;
    final CacheEntry entry;
    final Object value;
    /** {@code entry.quietUntil()} for a non-null value; else never (such entries take the long way). */
    final long servableUntil;
    /** Whether the entry carries tags, which a hit checks against the tags' evict times. */
    final boolean tagged;

    /** The table's epoch when this was filled; {@code null} for markers and epochs. */
    final Front epoch;
    /**
     * The last method (its {@link Upstream}) this value was found fit to be served to as is (see
     * {@link RuleCache#frontHit}); a plain field: a reader that misses a write checks again.
     */
    Upstream servedTo;

    Front(String key, CacheEntry entry, Front epoch) {
      this.key = key;
      this.entry = entry;
      this.epoch = epoch;
      this.value = entry == null ? null : entry.value();
      this.servableUntil = entry == null || value == null ? Long.MIN_VALUE : entry.quietUntil();
      this.tagged = entry != null && entry.tags() != null;
    }
  }

  /** The number of entries held now (approximate). */
  public long size() {
    return cache.estimatedSize();
  }
}
