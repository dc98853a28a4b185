package dev.tieredcache.runtime;

import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of one rule: serves fresh values, serves stale ones while they are refreshed or while the upstream
 * fails, and coalesces concurrent loads of a key onto the caller that came first.
 *
 * <p>A call site uses it in two steps. {@link #begin} either answers the call (a value, {@link #NULL_VALUE} for a
 * cached {@code null}), or returns {@code null} (call the upstream and do nothing more), or returns a {@link Load}
 * (call the upstream on this thread, then hand the outcome to {@link #complete}). Neither step throws anything but
 * the upstream's own exception, which {@code begin} rethrows to callers that waited on a failed load.
 */
public final class RuleCache {

  /** What {@link #begin} and {@link #complete} return to serve a cached {@code null}. */
  public static final Object NULL_VALUE = new Marker("null value");
  /** What {@link #complete} returns when the caller should return or throw what the upstream did. */
  public static final Object AS_CALLED = new Marker("as called");

  private static final Logger LOG = LoggerFactory.getLogger(RuleCache.class);
  private static final long MAX_BACKOFF_MS = Duration.ofMinutes(5).toMillis();
  /** How soon an instance that found another one refreshing a key (distributed lock) looks at Redis again. */
  private static final long LOCK_BUSY_RETRY_MS = 50;

  private final RulePolicy policy;
  private final CacheClock clock;
  private final RefreshPool refreshPool;
  private final MemoryTier memory;
  /** False for a rule with {@code tiers: [redis]}: nothing is kept in memory. */
  private final boolean inMemory;
  /** The Redis tier, or {@code null} when the rule does not use one. */
  private final RedisTier shared;
  private final boolean distributedLock;
  private final boolean copyOnRead;
  private volatile ValueCodec values;
  /** Tells the other instances about writes and evictions; {@code null} without a backplane. */
  private final Backplane backplane;
  private final RuleMetrics metrics = new RuleMetrics();
  private final ThrottledLog internalErrors = new ThrottledLog(LOG);
  private final ConcurrentHashMap<String, InFlight> flights = new ConcurrentHashMap<>();

  private final long ttlMs;
  private final long swrMs;
  private final long staleWindowMs;
  private final long maxJitterMs;
  private final long refreshAheadMs;
  private final long errorBackoffMs;
  private final long loadTimeoutNanos;

  RuleCache(RulePolicy policy, CacheClock clock, RefreshPool refreshPool, SharedTierFactory sharedTiers,
      Backplane backplane) {
    this.policy = policy;
    this.backplane = backplane;
    this.clock = clock;
    this.refreshPool = refreshPool;
    this.memory = new MemoryTier(policy.maxEntries(), clock);
    this.inMemory = policy.usesTier(RulePolicy.TierKind.MEMORY);
    this.shared = sharedTiers != null && policy.usesTier(RulePolicy.TierKind.REDIS)
        ? sharedTiers.create(policy.name(), metrics, clock) : null;
    this.distributedLock = shared != null && policy.distributedLock();
    this.copyOnRead = policy.copyOnRead();
    this.ttlMs = policy.ttl().toMillis();
    this.swrMs = policy.staleWhileRevalidate().toMillis();
    this.staleWindowMs = policy.staleWindow().toMillis();
    this.maxJitterMs = policy.maxJitter().toMillis();
    this.refreshAheadMs = policy.refreshAhead().isPresent()
        ? (long) (ttlMs * policy.refreshAhead().getAsDouble()) : -1;
    this.errorBackoffMs = policy.errorBackoff().toMillis();
    this.loadTimeoutNanos = policy.loadTimeout().toNanos();
  }

  public RulePolicy policy() {
    return policy;
  }

  public String name() {
    return policy.name();
  }

  public RuleMetrics metrics() {
    return metrics;
  }

  /** The number of values in this rule's memory tier (approximate). */
  public long memorySize() {
    return memory.size();
  }

  /** True if values of this rule are also kept in Redis. */
  public boolean usesRedis() {
    return shared != null;
  }

  /**
   * Tells the rule the declared type of its values and the class loader of the method that returns them, which
   * the Redis tier and copy-on-read need to encode and (safely) decode values. The first call wins.
   */
  public void bindValueType(java.lang.reflect.Type type, ClassLoader loader) {
    if (values != null || (shared == null && !copyOnRead)) {
      return;
    }
    synchronized (this) {
      if (values == null) {
        ValueCodec codec = ValueCodec.forType(type, policy.allowTypes(), loader);
        if (shared != null) {
          shared.useCodec(new EntryCodec(codec));
        }
        values = codec;
      }
    }
  }

  /** Drops the memory entries that have turned missing; returns how many. */
  int sweep() {
    return memory.sweep();
  }

  /** The entry this instance holds in memory for {@code key}, without touching its state; for tests and tools. */
  public CacheEntry peek(String key) {
    return memory.get(key);
  }

  /**
   * Starts a call of the rule's method for {@code key}.
   *
   * @param upstream how to call the method again for a background refresh; {@code null} disables background work
   * @param receiver the receiver of the call (for a background refresh), {@code null} when static
   * @param arguments the call's arguments as the call site passes them (for a background refresh)
   * @return the value to serve, {@link #NULL_VALUE}, a {@link Load}, or {@code null} for a plain call
   */
  public Object begin(String key, Upstream upstream, Object receiver, Object arguments) {
    Object answer;
    try {
      answer = lookup(key, upstream, receiver, arguments);
    } catch (Throwable internal) {
      internalErrors.warn("begin", "rule '" + policy.name() + "': internal error, calling the method uncached",
          internal);
      return null;
    }
    if (answer instanceof Rethrow) {
      throw Rethrow.sneaky(((Rethrow) answer).error);
    }
    return answer;
  }

  private Object lookup(String key, Upstream upstream, Object receiver, Object arguments) {
    Thread thread = Thread.currentThread();
    if (thread instanceof RefreshWorker && ((RefreshWorker) thread).takeBypass(this)) {
      return null;
    }
    long now = clock.millis();
    CacheEntry entry = inMemory ? memory.get(key, now) : null;
    if (entry != null) {
      if (now < entry.freshUntil()) {
        if (now >= entry.refreshAt() && now >= entry.retryAt()) {
          refreshInBackground(key, entry, upstream, receiver, arguments);
        }
        metrics.freshHits.increment();
        return servedFromMemory(entry);
      }
      if (now < entry.staleUntil()) {
        return onStale(key, entry, now, upstream, receiver, arguments);
      }
    }
    metrics.misses.increment();
    return loadOrJoin(key, null, upstream, receiver, arguments);
  }

  /**
   * The stale-while-revalidate and stale-if-error decision. Within stale-while-revalidate the stale value is served
   * at once and one background refresh per key is started. Past it, within stale-if-error, the caller refreshes in
   * the foreground (coalesced) with the stale value as its fallback, unless a refresh failed recently, in which
   * case the stale value is served until error-backoff has passed.
   */
  private Object onStale(String key, CacheEntry entry, long now, Upstream upstream, Object receiver,
      Object arguments) {
    boolean backingOff = now < entry.retryAt();
    if (now - entry.freshUntil() < swrMs) {
      if (!backingOff) {
        refreshInBackground(key, entry, upstream, receiver, arguments);
      }
      metrics.staleHits.increment();
      return servedFromMemory(entry);
    }
    if (backingOff) {
      metrics.staleHits.increment();
      metrics.staleOnError.increment();
      return servedFromMemory(entry);
    }
    return loadOrJoin(key, entry, upstream, receiver, arguments);
  }

  private Object loadOrJoin(String key, CacheEntry fallback, Upstream upstream, Object receiver,
      Object arguments) {
    InFlight mine = new InFlight(Thread.currentThread());
    InFlight running = flights.putIfAbsent(key, mine);
    if (running == null) {
      // a load that finished between our memory read and taking the slot has left a fresh value: serve it
      CacheEntry written = inMemory ? memory.get(key) : null;
      if (written != null && written != fallback && clock.millis() < written.freshUntil()) {
        release(key, mine);
        mine.complete(written.value());
        return served(written.value());
      }
      if (shared != null) {
        return loadThroughShared(key, mine, fallback, upstream, receiver, arguments);
      }
      metrics.loads.increment();
      return new Load(key, mine, fallback, false);
    }
    if (running.owner == Thread.currentThread()) {
      // the loader's own upstream reached this rule again for the same key (recursion, or an overriding method
      // calling super): let it through so the outer call alone is cached
      return null;
    }
    metrics.coalescedWaits.increment();
    return await(key, running, fallback);
  }

  /**
   * The caller holds the load of {@code key} and the rule has a Redis tier: another instance may have written a
   * newer value there, so Redis is read before the upstream is called. A fresh value there is served; a stale one
   * within stale-while-revalidate is served while a background refresh runs; an older stale one becomes the
   * fallback of the load. With a distributed lock, a stale key is refreshed by one instance at a time; the others
   * serve the stale value meanwhile.
   */
  private Object loadThroughShared(String key, InFlight mine, CacheEntry fallback, Upstream upstream,
      Object receiver, Object arguments) {
    CacheEntry there = shared.get(key);
    // an entry as new as ours counts too: Redis is deleted before an eviction is announced, so a copy still there
    // after a backplane gap was not evicted, and serving it spares the upstream a reload of every held key
    if (there != null && (fallback == null || there.writtenAt() >= fallback.writtenAt())) {
      CacheEntry adopted = adopt(there);
      long now = clock.millis();
      if (now < adopted.freshUntil()) {
        return settle(key, mine, adopted);
      }
      if (now - adopted.freshUntil() < swrMs) {
        Object answer = settle(key, mine, adopted);
        refreshInBackground(key, adopted, upstream, receiver, arguments);
        metrics.staleHits.increment();
        return answer;
      }
      if (inMemory) {
        memory.put(key, adopted);
      }
      fallback = adopted;
    }
    if (distributedLock && fallback != null) {
      if (!shared.tryLock(key, lockHoldMs())) {
        release(key, mine);
        mine.complete(fallback.value());
        metrics.staleHits.increment();
        return served(fallback.value());
      }
      // another instance may have refreshed and released the lock between our read and taking it
      CacheEntry since = newerFreshInRedis(key, fallback);
      if (since != null) {
        shared.unlock(key);
        return settle(key, mine, since);
      }
    }
    metrics.loads.increment();
    return new Load(key, mine, fallback, distributedLock && fallback != null);
  }

  /**
   * The entry Redis holds for {@code key} if another instance wrote it after {@code than} and it is fresh, adopted
   * for this instance; otherwise {@code null}.
   */
  private CacheEntry newerFreshInRedis(String key, CacheEntry than) {
    CacheEntry there = shared.get(key);
    if (there != null && there.writtenAt() > than.writtenAt() && clock.millis() < there.freshUntil()) {
      return adopt(there);
    }
    return null;
  }

  /**
   * Ends the load {@code flight} with {@code entry}, found in Redis instead of calling the upstream: it is kept in
   * memory (unless the key was evicted meanwhile), the callers waiting on the load get its value, and so does this
   * caller.
   */
  private Object settle(String key, InFlight flight, CacheEntry entry) {
    if (inMemory && !flight.invalidated) {
      memory.put(key, entry);
    }
    release(key, flight);
    flight.complete(entry.value());
    return served(entry.value());
  }

  /** An entry read from Redis, with this rule's refresh-ahead point (which Redis does not store). */
  private CacheEntry adopt(CacheEntry there) {
    long refreshAt = refreshAheadMs >= 0 ? there.writtenAt() + refreshAheadMs : Long.MAX_VALUE;
    return new CacheEntry(there.value(), there.writtenAt(), there.freshUntil(), there.staleUntil(), refreshAt, 0, 0);
  }

  private long lockHoldMs() {
    return Math.max(1, loadTimeoutNanos / 1_000_000L);
  }

  private Object await(String key, InFlight running, CacheEntry fallback) {
    try {
      return served(running.get(loadTimeoutNanos, TimeUnit.NANOSECONDS));
    } catch (ExecutionException failed) {
      if (usable(fallback)) {
        metrics.staleOnError.increment();
        return served(fallback.value());
      }
      return new Rethrow(failed.getCause());
    } catch (TimeoutException slow) {
      if (usable(fallback)) {
        metrics.staleOnError.increment();
        return served(fallback.value());
      }
      metrics.loads.increment();
      return new Load(key, null, fallback, false);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Finishes a {@link Load}: stores a value, hands the outcome to the callers that waited, and decides what the
   * loading caller returns.
   *
   * @return {@link #AS_CALLED} to return or throw what the upstream did, otherwise the (stale) value to return
   *     instead of the upstream's exception ({@link #NULL_VALUE} for {@code null})
   */
  public Object complete(Load load, Object value, Throwable error) {
    InFlight flight = load.flight;
    try {
      long now = clock.millis();
      if (error == null) {
        storeUnlessEvicted(load.key, value, now, flight, announces(load.fallback));
        if (load.locked) {
          // queued behind the write above, so the next holder of the lock finds the new value in Redis
          shared.unlock(load.key);
        }
        release(load.key, flight);
        if (flight != null) {
          flight.complete(value);
        }
        return AS_CALLED;
      }
      metrics.loadErrors.increment();
      if (load.locked) {
        shared.unlock(load.key);
      }
      CacheEntry fallback = load.fallback;
      boolean serveStale = fallback != null && now < fallback.staleUntil();
      if (serveStale) {
        // before the flight is released, so that a caller arriving next sees the backoff instead of retrying
        recordFailedRefresh(load.key, fallback, now);
      }
      release(load.key, flight);
      if (flight != null) {
        flight.completeExceptionally(error);
      }
      if (serveStale) {
        metrics.staleOnError.increment();
        return served(fallback.value());
      }
      return AS_CALLED;
    } catch (Throwable internal) {
      if (flight != null && !flight.isDone()) {
        release(load.key, flight);
        // waiters get what the upstream did, never the runtime's own fault
        if (error != null) {
          flight.completeExceptionally(error);
        } else {
          flight.complete(value);
        }
      }
      internalErrors.warn("complete", "rule '" + policy.name() + "': internal error after a load", internal);
      return AS_CALLED;
    }
  }

  private void release(String key, InFlight flight) {
    if (flight != null) {
      flights.remove(key, flight);
    }
  }

  private void refreshInBackground(String key, CacheEntry stale, Upstream upstream, Object receiver,
      Object arguments) {
    if (upstream == null) {
      return;
    }
    InFlight flight = new InFlight(null);
    if (flights.putIfAbsent(key, flight) != null) {
      return;
    }
    boolean queued = refreshPool.submit(() -> refresh(key, stale, flight, upstream, receiver, arguments));
    if (queued) {
      metrics.refreshes.increment();
    } else {
      release(key, flight);
      flight.complete(stale.value());
    }
  }

  private void refresh(String key, CacheEntry stale, InFlight flight, Upstream upstream, Object receiver,
      Object arguments) {
    RefreshWorker worker = (RefreshWorker) Thread.currentThread();
    flight.owner = worker;
    boolean locked = false;
    if (shared != null) {
      try {
        CacheEntry refreshedThere = newerFreshInRedis(key, stale);
        if (refreshedThere != null) {
          // another instance refreshed it already
          settle(key, flight, refreshedThere);
          return;
        }
        if (distributedLock) {
          if (!shared.tryLock(key, lockHoldMs())) {
            // another instance is refreshing: keep serving the stale value, look at Redis again shortly
            memory.replace(key, stale, stale.withRetryAt(clock.millis() + LOCK_BUSY_RETRY_MS));
            release(key, flight);
            flight.complete(stale.value());
            return;
          }
          locked = true;
          // another instance may have refreshed and released the lock between our read and taking it
          CacheEntry since = newerFreshInRedis(key, stale);
          if (since != null) {
            shared.unlock(key);
            locked = false;
            settle(key, flight, since);
            return;
          }
        }
      } catch (Throwable internal) {
        internalErrors.warn("refresh", "rule '" + policy.name() + "': internal error reading Redis", internal);
      }
    }
    try {
      refreshFromUpstream(key, stale, flight, upstream, receiver, arguments);
    } finally {
      if (locked) {
        shared.unlock(key);
      }
    }
  }

  private void refreshFromUpstream(String key, CacheEntry stale, InFlight flight, Upstream upstream,
      Object receiver, Object arguments) {
    RefreshWorker worker = (RefreshWorker) Thread.currentThread();
    Object value;
    try {
      worker.bypassNextCallOf(this);
      try {
        value = upstream.call(receiver, arguments);
      } finally {
        worker.takeBypass(this);
      }
    } catch (Throwable failed) {
      metrics.loadErrors.increment();
      try {
        // before the flight is released, so that the next stale hit sees the backoff instead of retrying
        recordFailedRefresh(key, stale, clock.millis());
      } catch (Throwable internal) {
        internalErrors.warn("refresh", "rule '" + policy.name() + "': internal error after a failed refresh",
            internal);
      } finally {
        release(key, flight);
        flight.completeExceptionally(failed);
      }
      LOG.debug("rule '{}': background refresh failed: {}", policy.name(), failed.toString());
      return;
    }
    try {
      storeUnlessEvicted(key, value, clock.millis(), flight, true);
    } catch (Throwable internal) {
      internalErrors.warn("refresh", "rule '" + policy.name() + "': internal error storing a refresh", internal);
    } finally {
      release(key, flight);
      flight.complete(value);
    }
  }

  private void recordFailedRefresh(String key, CacheEntry failed, long now) {
    int failures = Math.min(failed.failedRefreshes(), 20);
    long backoff = Math.min(MAX_BACKOFF_MS, errorBackoffMs << failures);
    memory.replace(key, failed, failed.withFailedRefresh(now + backoff));
  }

  /**
   * Stores the result of a load unless its key was evicted while it ran. An evict that lands between the check and
   * the write still wins: the write is taken back if it is still the one in memory.
   */
  private void storeUnlessEvicted(String key, Object value, long now, InFlight flight, boolean announce) {
    if (flight != null && flight.invalidated) {
      return;
    }
    CacheEntry written = store(key, value, now, announce);
    if (written != null && flight != null && flight.invalidated) {
      memory.remove(key, written);
      if (shared != null) {
        shared.evict(key);
      }
    }
  }

  /**
   * Whether a load that replaces {@code fallback} (null for a key this instance did not hold) tells the other
   * instances. With a Redis tier it always does: they find the new value there, without a load of their own. A
   * memory-only rule announces only values that replace one it held: the others would answer a cold load's
   * message with cold loads of their own, and instances reading the same key would keep dropping each other's
   * copies.
   */
  private boolean announces(CacheEntry fallback) {
    return shared != null || fallback != null;
  }

  /**
   * Writes a freshly loaded value with this rule's ttl, jitter and stale window, starting {@code now}.
   *
   * @return the entry written, or {@code null} when the value is a {@code null} this rule does not cache
   */
  private CacheEntry store(String key, Object value, long now, boolean announce) {
    if (value == null && !policy.cacheNulls()) {
      memory.evict(key);
      return null;
    }
    long jitter = maxJitterMs > 0 ? ThreadLocalRandom.current().nextLong(maxJitterMs + 1) : 0;
    long freshUntil = now + ttlMs + jitter;
    long refreshAt = refreshAheadMs >= 0 ? now + refreshAheadMs : Long.MAX_VALUE;
    // with copy-on-read the cache keeps its own copy, so the loading caller may change the object it got
    Object kept = copyOnRead ? copyOf(value) : value;
    CacheEntry entry = new CacheEntry(kept, now, freshUntil, freshUntil + staleWindowMs, refreshAt, 0, 0);
    if (inMemory) {
      memory.put(key, entry);
    }
    if (shared != null) {
      shared.put(key, entry);
    }
    if (announce) {
      publish(BackplaneMessage.Action.SET, key, now);
    }
    return entry;
  }

  /** Removes {@code key} from every tier; a load of it already running will not write its result. */
  public void evict(String key) {
    cancelLoad(key);
    memory.evict(key);
    if (shared != null) {
      shared.evict(key);
    }
    publish(BackplaneMessage.Action.EVICT, key, clock.millis());
    metrics.evictions.increment();
  }

  /** Removes every key of this rule from every tier. */
  public void evictAll() {
    cancelAllLoads();
    memory.clear();
    if (shared != null) {
      shared.clear();
    }
    publish(BackplaneMessage.Action.CLEAR, "", clock.millis());
    metrics.evictions.increment();
  }

  private boolean usable(CacheEntry fallback) {
    return fallback != null && clock.millis() < fallback.staleUntil();
  }

  private void publish(BackplaneMessage.Action action, String key, long time) {
    if (backplane != null) {
      backplane.publish(action, policy.name(), key, time);
      metrics.backplaneOut.increment();
    }
  }

  /**
   * Applies another instance's change: a newer value written there makes an older memory copy here go (so the
   * next read comes from Redis, or from the upstream for a memory-only rule); an eviction or a clear drops it. Either
   * way a load of the key running here is not kept. Nothing is published back.
   */
  void applyRemote(BackplaneMessage.Entry change) {
    metrics.backplaneIn.increment();
    switch (change.action()) {
      case SET: {
        // a load of the key running here may have read its value before the newer one was written there: its
        // callers get it, but it is not kept, or it would replace the newer value here, in Redis, and (through its
        // own message) in the other instances
        cancelLoad(change.key());
        CacheEntry held = memory.get(change.key());
        if (held != null && held.writtenAt() <= change.time()) {
          memory.remove(change.key(), held);
        }
        break;
      }
      case EVICT: {
        cancelLoad(change.key());
        memory.evict(change.key());
        break;
      }
      default: {
        cancelAllLoads();
        memory.clear();
        break;
      }
    }
  }

  /**
   * Marks every memory entry written before {@code before} stale, past its stale-while-revalidate window: it stays
   * usable as a fallback, and the next access revalidates it (from Redis, or the upstream) before serving it. Loads
   * running now are suspect in the same way (they may have read their value before an invalidation that was
   * missed): their callers get the value, but it is not kept.
   */
  void markStaleWrittenBefore(long before) {
    cancelAllLoads();
    long now = clock.millis();
    memory.markStaleWrittenBefore(before, now - swrMs - 1);
  }

  /**
   * Makes a running load of {@code key} one whose result is not kept: its callers still get the value, and the
   * next caller starts a new load.
   */
  private void cancelLoad(String key) {
    InFlight running = flights.remove(key);
    if (running != null) {
      running.invalidated = true;
    }
  }

  /** {@link #cancelLoad} for every running load of this rule. */
  private void cancelAllLoads() {
    for (InFlight running : flights.values()) {
      running.invalidated = true;
    }
    flights.clear();
  }

  /** The value of an entry held in memory, as served: a copy of it with copy-on-read. */
  private Object servedFromMemory(CacheEntry entry) {
    return served(copyOnRead ? copyOf(entry.value()) : entry.value());
  }

  /** An independent copy of {@code value} for copy-on-read, made by the rule's codec. */
  private Object copyOf(Object value) {
    ValueCodec codec = values;
    if (value == null || codec == null) {
      return value;
    }
    try {
      return codec.decode(codec.encode(value));
    } catch (RuntimeException uncopyable) {
      internalErrors.warn("copy", "rule '" + policy.name() + "': copy-on-read cannot copy a "
          + value.getClass().getName() + " (" + uncopyable.getMessage() + "); the shared instance is served", null);
      return value;
    }
  }

  private static Object served(Object value) {
    return value == null ? NULL_VALUE : value;
  }

  @Override
  public String toString() {
    return "RuleCache{" + policy.name() + "}";
  }

  /** A load of one key in progress; the callers that join it wait for its outcome. */
  static final class InFlight extends CompletableFuture<Object> {
    volatile Thread owner;
    volatile boolean invalidated;

    InFlight(Thread owner) {
      this.owner = owner;
    }
  }

  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Carries an upstream exception out of the guarded lookup, so internal errors and rethrows stay apart. */
  private static final class Rethrow {
    final Throwable error;

    Rethrow(Throwable error) {
      this.error = error;
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
      throw (T) t;
    }
  }
}
