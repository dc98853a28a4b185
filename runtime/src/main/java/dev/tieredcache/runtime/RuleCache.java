package dev.tieredcache.runtime;

import dev.tieredcache.runtime.StaleDecision.Action;
import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import dev.tieredcache.runtime.redis.HashedKey;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>This class wires the parts together; each decision lives in one of them: {@link StaleDecision} (what an entry
 * found in any tier means), {@link Flights} (coalescing), {@link ErrorBackoff} (failure history), {@link Handout}
 * (what a caller is given), {@link LoadScope} (nested calls inside a load), {@link EvictionMarks} (evictions that
 * Redis may not have applied yet).
 */
public final class RuleCache {

  /** What {@link #begin} and {@link #complete} return to serve a cached {@code null}. */
  public static final Object NULL_VALUE = new Marker("null value");
  /** What {@link #complete} returns when the caller should return or throw what the upstream did. */
  public static final Object AS_CALLED = new Marker("as called");
  /** What a load that failed inside the runtime hands its waiters: call the method uncached. */
  private static final Object PLAIN_CALL = new Marker("plain call");

  private static final Logger LOG = LoggerFactory.getLogger(RuleCache.class);
  /** How soon an instance that found another one refreshing a key (distributed lock) looks at Redis again. */
  private static final long LOCK_BUSY_RETRY_MS = 50;

  private final RulePolicy policy;
  private final CacheClock clock;
  private final RefreshPool refreshPool;
  /** Makes the Redis tier of each partition; {@code null} without Redis. */
  private final SharedTierFactory sharedTiers;
  /** This rule's caches in this instance: one per class loader with values of its own (see LoaderPartitions). */
  private final LoaderPartitions partitions;
  /** For a partition: the classes that keep it reachable (see {@link LoaderPartitions#of}). */
  final List<WeakReference<Class<?>>> anchoredOn = new CopyOnWriteArrayList<>();
  private final MemoryTier memory;
  /** False for a rule with {@code tiers: [redis]}: nothing is kept in memory. */
  private final boolean inMemory;
  /** The Redis tier, or {@code null} when the rule does not use one. */
  private final RedisTier shared;
  private final boolean distributedLock;
  private final boolean copyOnRead;
  /** Tells the other instances about writes and evictions; {@code null} without a backplane. */
  private final Backplane backplane;
  private final RuleMetrics metrics;
  /** The shortest time between two logged starts of serving stale values on the upstream's errors. */
  static final long STALE_EPISODE_LOG_INTERVAL_MS = 10_000;
  /** The memory tier's front table when {@link #frontHit} may serve from it ({@code null}: never). */
  private final MemoryTier.Front[] frontTable;
  /** {@code metrics.freshHits}, one field load nearer for the hit path. */
  private final HitCounter freshHits;
  private final ThrottledLog internalErrors = new ThrottledLog(LOG);
  private final StaleDecision decision;
  private final Flights flights;
  private final ErrorBackoff backoff;
  private final EvictionMarks evictions;
  private final Handout handout;
  /** When each tag was last evicted; shared by every rule of the {@link TieredCache}. */
  private final TagTimes tagTimes;
  private volatile boolean codecBound;
  private final ReentrantLock binding = new ReentrantLock();
  /** The names of the rule's key spaces (one per method) when its pattern matches several methods; else empty. */
  private final Set<String> keySpaces;
  /** Loads and refreshes of this rule running now (see {@link LoadScope}); a hit looks at its scope only if > 0. */
  private volatile int openScopes;
  private static final AtomicIntegerFieldUpdater<RuleCache> OPEN_SCOPES =
      AtomicIntegerFieldUpdater.newUpdater(RuleCache.class, "openScopes");

  private final long ttlMs;
  private final long staleWindowMs;
  private final long swrMs;
  private final long maxJitterMs;
  private final long refreshAheadMs;
  private final long loadTimeoutNanos;

  RuleCache(RulePolicy policy, CacheClock clock, RefreshPool refreshPool, SharedTierFactory sharedTiers,
      Backplane backplane) {
    this(policy, clock, refreshPool, sharedTiers, backplane, null);
  }

  /**
   * A rule; with a {@code predecessor} (the same rule in rules that are being replaced) it takes over the
   * predecessor's entries, running loads, key spaces and counters, and applies its own policy to new writes.
   */
  RuleCache(RulePolicy policy, CacheClock clock, RefreshPool refreshPool, SharedTierFactory sharedTiers,
      Backplane backplane, RuleCache predecessor) {
    this(policy, clock, refreshPool, sharedTiers, backplane, predecessor, null,
        new TagTimes(clock, null, null, "", () -> 0, TagTimes.MAX_TAGS));
  }

  /** As above, with the tag times shared by every rule of a {@link TieredCache}. */
  RuleCache(RulePolicy policy, CacheClock clock, RefreshPool refreshPool, SharedTierFactory sharedTiers,
      Backplane backplane, RuleCache predecessor, TagTimes tagTimes) {
    this(policy, clock, refreshPool, sharedTiers, backplane, predecessor, null, tagTimes);
  }

  /**
   * A rule, or with a {@code home} the partition of one class loader of the rule {@code home} (see {@link
   * LoaderPartitions}): its own memory tier, loads, failure history and codec; the counters, key spaces and eviction
   * marks of {@code home}. A {@code predecessor} is taken over as above.
   */
  private RuleCache(RulePolicy policy, CacheClock clock, RefreshPool refreshPool, SharedTierFactory sharedTiers,
      Backplane backplane, RuleCache predecessor, RuleCache home, TagTimes tagTimes) {
    this.policy = policy;
    this.tagTimes = tagTimes;
    this.backplane = backplane;
    this.clock = clock;
    this.refreshPool = refreshPool;
    this.sharedTiers = sharedTiers;
    if (predecessor != null) {
      this.memory = predecessor.memory;
      memory.resize(policy.maxEntries());
      this.flights = predecessor.flights;
      this.metrics = predecessor.metrics;
      this.keySpaces = predecessor.keySpaces;
    } else if (home != null) {
      this.memory = new MemoryTier(policy.maxEntries(), clock);
      this.flights = new Flights();
      this.metrics = home.metrics;
      this.keySpaces = home.keySpaces;
    } else {
      this.memory = new MemoryTier(policy.maxEntries(), clock);
      this.flights = new Flights();
      this.metrics = new RuleMetrics();
      this.keySpaces = ConcurrentHashMap.newKeySet();
    }
    this.freshHits = metrics.freshHits;
    this.partitions = home != null ? home.partitions
        : new LoaderPartitions(this, predecessor == null ? null : predecessor.partitions);
    this.inMemory = policy.usesTier(RulePolicy.TierKind.MEMORY);
    this.shared = sharedTiers != null && policy.usesTier(RulePolicy.TierKind.REDIS)
        ? sharedTiers.create(policy, metrics, clock) : null;
    this.distributedLock = shared != null && policy.distributedLock();
    this.copyOnRead = policy.copyOnRead();
    this.frontTable = inMemory && !copyOnRead ? memory.frontTable() : null;
    this.ttlMs = policy.ttl().toMillis();
    this.swrMs = policy.staleWhileRevalidate().toMillis();
    this.staleWindowMs = policy.staleWindow().toMillis();
    this.maxJitterMs = policy.maxJitter().toMillis();
    this.refreshAheadMs = policy.refreshAhead().isPresent()
        ? (long) (ttlMs * policy.refreshAhead().getAsDouble()) : -1;
    this.loadTimeoutNanos = policy.loadTimeout().toNanos();
    this.decision = new StaleDecision(swrMs);
    this.backoff = new ErrorBackoff(policy.errorBackoff(), policy.maxEntries());
    this.evictions = predecessor != null ? predecessor.evictions
        : home != null ? home.evictions : new EvictionMarks(policy.maxEntries());
    this.handout = new Handout(copyOnRead, policy.name(), internalErrors);
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
    long size = 0;
    for (RuleCache member : partitions.members()) {
      size += member.memory.size();
    }
    return size;
  }

  /** True if values of this rule are also kept in Redis. */
  public boolean usesRedis() {
    return shared != null;
  }

  /**
   * The cache that calls of methods declared by {@code declaringType} use: this rule itself when a JVM's own loader
   * defines it (bootstrap, platform, application class path), else the rule's partition of its loader, made on first
   * use (see {@link LoaderPartitions}). The partition is reachable from {@code declaringType} and only weakly from
   * the rule: a caller that keeps it must hold it weakly too, or it keeps the loader, its classes and values alive.
   */
  public RuleCache partitionFor(Class<?> declaringType) {
    return LoaderPartitions.partitioned(declaringType.getClassLoader()) ? partitions.of(declaringType)
        : partitions.home();
  }

  /** A new partition of this rule (see {@link LoaderPartitions}), taking over {@code predecessor} when not null. */
  RuleCache newPartition(RuleCache predecessor) {
    return new RuleCache(policy, clock, refreshPool, sharedTiers, backplane, predecessor, this, tagTimes);
  }

  /**
   * Tells the rule the declared type of its values and the class loader of the method that returns them, which
   * the Redis tier and copy-on-read need to encode and (safely) decode values. The first call wins.
   */
  public void bindValueType(java.lang.reflect.Type type, ClassLoader loader) {
    if (codecBound || (shared == null && !copyOnRead)) {
      return;
    }
    // a lock, not synchronized: building the codec loads classes, and the callers that wait meanwhile may be
    // virtual threads
    binding.lock();
    try {
      if (!codecBound) {
        ValueCodec codec = ValueCodec.forType(type, policy.allowTypes(), loader);
        if (shared != null) {
          shared.useCodec(new EntryCodec(codec));
        }
        handout.useCodec(codec);
        codecBound = true;
      }
    } finally {
      binding.unlock();
    }
  }

  /**
   * Declares a key space of this rule (SPEC §4 "Keys": a rule whose pattern matches several methods keeps one key
   * space per method). The keys of its calls are {@code <space>:<key>}; an evict of {@code key} reaches it in
   * every declared space. Returns the prefix of the space's keys.
   */
  public String addKeySpace(String space) {
    keySpaces.add(space);
    return space + ":";
  }

  /** Drops the memory entries that have turned missing; returns how many. */
  int sweep() {
    int removed = 0;
    for (RuleCache member : partitions.members()) {
      removed += member.memory.sweep();
    }
    return removed;
  }

  /** The entry this instance holds in memory for {@code key}, without touching its state; for tests and tools. */
  public CacheEntry peek(String key) {
    return memory.get(key);
  }

  /** How many refreshes of the key's current value failed in a row (error-backoff doubles with each). */
  int failedRefreshes(String key) {
    return backoff.failures(key);
  }

  /** Whether {@link #frontHit} can ever answer: the rule keeps a memory tier and hands out values without copying. */
  public boolean hasFrontTable() {
    return frontTable != null;
  }

  /**
   * The common case of {@link #begin} alone: a fresh value of the method's type held in the memory tier's front
   * table (its tags, if any, not evicted since it was written), served as is (no copy-on-read, no future, not
   * {@code null}), counted as a fresh hit. Anything else
   * returns {@code null}, and the caller goes on to {@link #begin}, which decides the call in full. Kept small so
   * the JIT can inline it into the instrumented method; it changes nothing but the fresh-hit count. It catches
   * nothing (a handler is code the JIT must compile too): a caller that must never throw wraps it, as the agent's
   * dispatcher does, and then meets any such fault again in {@link #begin}, which reports it.
   */
  public Object frontHit(String key, Upstream upstream) {
    MemoryTier.Front[] table = frontTable;
    if (table == null || openScopes != 0 || upstream == null) {
      return null;
    }
    MemoryTier.Front front = MemoryTier.servable(table, key, clock.millis());
    if (front == null || front.tagged && !tagTimes.current(front.entry)
        || front.servedTo != upstream && !servesAsIs(front, upstream)) {
      return null;
    }
    freshHits.increment();
    return front.value;
  }

  /**
   * Whether {@code front}'s value may go to {@code upstream}'s caller as is: an instance of the method's type, for a
   * method that does not return a future. Remembers a yes in the slot, so the next hits of the same method compare
   * one reference instead of asking the class again.
   */
  private static boolean servesAsIs(MemoryTier.Front front, Upstream upstream) {
    if (upstream.returnsFuture() || !upstream.valueType().isInstance(front.value)) {
      return false;
    }
    front.servedTo = upstream;
    return true;
  }

  /**
   * Starts a call of the rule's method for {@code key}.
   *
   * @param upstream how to call the method again for a background refresh, and the type it returns; {@code null}
   *     disables background work
   * @param receiver the receiver of the call (for a background refresh), {@code null} when static
   * @param arguments the call's arguments as the call site passes them (for a background refresh)
   * @return the value to serve, {@link #NULL_VALUE}, a {@link Load}, or {@code null} for a plain call
   */
  public Object begin(String key, Upstream upstream, Object receiver, Object arguments) {
    Object answer;
    try {
      if (openScopes != 0 && LoadScope.holds(this, key)) {
        // the original method of a load or refresh of this key reached the cache again on its own thread
        return null;
      }
      long now = clock.millis();
      CacheEntry entry = inMemory ? memory.get(key, now) : redisOnly(key);
      if (entry != null && now < entry.quietUntil() && (entry.tags() == null || tagTimes.current(entry))) {
        freshHits.increment();
        Object value = entry.value();
        if (!copyOnRead && value != null && upstream != null && upstream.valueType().isInstance(value)) {
          return upstream.returnsFuture() ? CompletableFuture.completedFuture(value) : value;
        }
        return handout.of(value, valueType(upstream), upstream != null && upstream.returnsFuture());
      }
      answer = onEntry(key, unlessTagEvicted(key, entry), now, new Call(upstream, receiver, arguments));
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

  /**
   * The entry of a Redis-only rule, which takes the place of the memory entry: its callers decide on it like any
   * other, so a fresh value in Redis is served even while a load or refresh of the key is stuck.
   */
  private CacheEntry redisOnly(String key) {
    if (shared == null) {
      return null;
    }
    CacheEntry there = shared.get(key);
    if (there == null || evictions.predates(key, there)) {
      return null;
    }
    return withRefreshAhead(there);
  }

  /**
   * {@code entry}, or {@code null} when it carried a tag that was evicted at or after its write (SPEC §3 "Tags"): such
   * an entry is missing in every tier, never served, not even as a stale value on the upstream's error; it leaves
   * the memory tier.
   */
  private CacheEntry unlessTagEvicted(String key, CacheEntry entry) {
    if (entry == null || entry.tags() == null || tagTimes.current(entry)) {
      return entry;
    }
    memory.remove(key, entry);
    return null;
  }

  /** An entry read from Redis, with this rule's refresh-ahead point (which Redis does not store). */
  private CacheEntry withRefreshAhead(CacheEntry there) {
    long refreshAt = refreshAheadMs >= 0 ? there.writtenAt() + refreshAheadMs : Long.MAX_VALUE;
    return new CacheEntry(there.value(), there.writtenAt(), there.freshUntil(), there.staleUntil(), refreshAt,
        there.tags());
  }

  /** Acts on the decision about the entry of the first tier (or its absence). */
  private Object onEntry(String key, CacheEntry entry, long now, Call call) {
    switch (decision.decide(entry, now, entry == null ? 0 : backoff.retryAt(key, entry))) {
      case FRESH:
        metrics.freshHits.increment();
        return handout.of(entry.value(), call.valueType(), call.future);
      case FRESH_REFRESH_AHEAD:
        refreshInBackground(key, entry, call);
        metrics.freshHits.increment();
        return handout.of(entry.value(), call.valueType(), call.future);
      case STALE_REVALIDATE:
        refreshInBackground(key, entry, call);
        metrics.staleHits.increment();
        return handout.of(entry.value(), call.valueType(), call.future);
      case STALE_BACKING_OFF:
        metrics.staleHits.increment();
        return handout.of(entry.value(), call.valueType(), call.future);
      case STALE_ON_ERROR:
        metrics.staleHits.increment();
        servedStaleOnError();
        return handout.of(entry.value(), call.valueType(), call.future);
      case LOAD_WITH_FALLBACK:
        return loadOrJoin(key, entry, call);
      default:
        // a miss of the first tier: counted as a miss once no other tier or load answers it (see prepareLoad)
        return loadOrJoin(key, null, call);
    }
  }

  /** Loads {@code key} on this thread or joins the load running; without a {@code fallback}, the call is a miss. */
  private Object loadOrJoin(String key, CacheEntry fallback, Call call) {
    Flights.InFlight mine = new Flights.InFlight(Thread.currentThread());
    Flights.InFlight running = flights.claim(key, mine);
    if (running != null) {
      if (running.owner == Thread.currentThread()) {
        if (fallback == null) {
          metrics.misses.increment();
        }
        return null;
      }
      return await(key, running, fallback, call);
    }
    try {
      return prepareLoad(key, mine, fallback, call, false);
    } catch (Throwable internal) {
      abandon(key, mine);
      throw internal;
    }
  }

  /**
   * The caller holds the load of {@code key}: before the upstream is called, a newer value may have arrived (a load
   * that finished between the caller's read and its claim, or another instance's write to Redis). Such a value is
   * decided on like any other entry; otherwise the caller gets a {@link Load}. With a distributed lock, one instance
   * at a time refreshes a stale key; the others serve the stale value meanwhile.
   *
   * @param background true for a background refresh, whose {@code fallback} is the stale entry it replaces
   */
  private Object prepareLoad(String key, Flights.InFlight flight, CacheEntry fallback, Call call,
      boolean background) {
    // a caller without a value of its own is a miss, unless a value found now answers it (a hit, of its tier)
    boolean miss = !background && fallback == null;
    // a refresh replaces its stale entry: the same entry in Redis is no news (it may be fresh there, before the
    // refresh-ahead point, yet due here)
    CacheEntry newer = inMemory ? newerInMemory(key, fallback) : null;
    boolean fromRedis = false;
    if (newer == null) {
      newer = newerInRedis(key, fallback, flight, background);
      fromRedis = newer != null;
    }
    boolean fallbackFromRedis = false;
    if (newer != null) {
      long now = clock.millis();
      Action action = decision.decide(newer, now, backoff.retryAt(key, newer));
      switch (action) {
        case FRESH:
          if (!background) {
            freshHit(fromRedis);
          }
          return settle(key, flight, newer, call);
        case FRESH_REFRESH_AHEAD:
          if (!background) {
            freshHit(fromRedis);
            Object answer = settle(key, flight, newer, call);
            refreshInBackground(key, newer, call);
            return answer;
          }
          return settle(key, flight, newer, call);
        case STALE_REVALIDATE:
          if (!background) {
            Object answer = settle(key, flight, newer, call);
            refreshInBackground(key, newer, call);
            staleHit(fromRedis);
            return answer;
          }
          fallback = newer;
          fallbackFromRedis = fromRedis;
          break;
        case STALE_BACKING_OFF:
        case STALE_ON_ERROR:
          // counted for a background refresh too, which then serves no caller (tests wait on this count)
          staleHit(fromRedis && !background);
          if (!background) {
            servedStaleOnError();
          }
          return settle(key, flight, newer, call);
        default:
          fallback = newer;
          fallbackFromRedis = fromRedis;
          break;
      }
    }
    boolean locked = false;
    if (distributedLock && fallback != null) {
      if (!shared.tryLock(key, lockHoldMs())) {
        // another instance is refreshing: serve the stale value, look at Redis again shortly
        backoff.holdUntil(key, fallback, clock.millis() + LOCK_BUSY_RETRY_MS);
        // counted for a background refresh too, which then serves no caller (tests wait on this count)
        staleHit(fallbackFromRedis && !background);
        return settle(key, flight, fallback, call);
      }
      locked = true;
      // another instance may have refreshed and released the lock between our read and taking it
      CacheEntry since = freshInRedisNewerThan(key, fallback, flight);
      if (since != null) {
        shared.unlock(key);
        if (!background) {
          freshHit(true);
        }
        return settle(key, flight, since, call);
      }
    }
    if (miss) {
      metrics.misses.increment();
    }
    if (!background) {
      metrics.loads.increment();
    }
    flight.fallback = fallback;
    Load load = new Load(key, flight, fallback, locked, call.valueType(), call.future, clock.nanos(),
        clock.millis(), call.upstream, call.arguments);
    LoadScope.enter(this, key);
    return load;
  }

  /** A call answered with a fresh value found after its first tier missed; {@code fromRedis} says where. */
  private void freshHit(boolean fromRedis) {
    metrics.freshHits.increment();
    if (fromRedis && inMemory) {
      metrics.redisFreshHits.increment();
    }
  }

  /** A call answered with a stale value found after its first tier's look; {@code fromRedis} says where. */
  private void staleHit(boolean fromRedis) {
    metrics.staleHits.increment();
    if (fromRedis && inMemory) {
      metrics.redisStaleHits.increment();
    }
  }

  /** A value of {@code key} newer than {@code than} ({@code null} for none) in memory, from a load that ended. */
  private CacheEntry newerInMemory(String key, CacheEntry than) {
    CacheEntry written = unlessTagEvicted(key, memory.get(key, clock.millis()));
    if (written != null && written != than && (than == null || written.writtenAt() > than.writtenAt())) {
      return written;
    }
    return null;
  }

  /**
   * A value of {@code key} newer than {@code than} ({@code null} for none) in Redis, from another instance; it is
   * kept in memory. An entry as old as {@code than} counts too, unless {@code strictly}.
   */
  private CacheEntry newerInRedis(String key, CacheEntry than, Flights.InFlight flight, boolean strictly) {
    if (shared == null) {
      return null;
    }
    CacheEntry there = unlessTagEvicted(key, shared.get(key));
    // an entry as new as ours counts too: Redis is deleted before an eviction is announced, so a copy still there
    // after a backplane gap was not evicted, and serving it spares the upstream a reload of every held key
    if (there == null || (than != null && there.writtenAt() < than.writtenAt()) || evictions.predates(key, there)
        || (strictly && than != null && there.writtenAt() == than.writtenAt())) {
      return null;
    }
    return adopt(key, there, flight);
  }

  /** The fresh entry Redis holds for {@code key} if another instance wrote it after {@code than}; else null. */
  private CacheEntry freshInRedisNewerThan(String key, CacheEntry than, Flights.InFlight flight) {
    CacheEntry there = unlessTagEvicted(key, shared.get(key));
    if (there != null && there.writtenAt() > than.writtenAt() && clock.millis() < there.freshUntil()
        && !evictions.predates(key, there)) {
      return adopt(key, there, flight);
    }
    return null;
  }

  /**
   * An entry read from Redis, with this rule's refresh-ahead point (which Redis does not store), kept in memory
   * unless the key was evicted while the load that read it ran.
   */
  private CacheEntry adopt(String key, CacheEntry there, Flights.InFlight flight) {
    CacheEntry adopted = withRefreshAhead(there);
    if (inMemory) {
      memory.putUnless(key, adopted, () -> flight.invalidated);
    }
    return adopted;
  }

  /** Ends the load {@code flight} with {@code entry} instead of calling the upstream; this caller gets its value. */
  private Object settle(String key, Flights.InFlight flight, CacheEntry entry, Call call) {
    flights.release(key, flight);
    flight.complete(entry.value());
    return handout.of(entry.value(), call.valueType(), call.future);
  }

  /** Ends a claimed load that failed inside the runtime: its waiters call the method uncached. */
  private void abandon(String key, Flights.InFlight flight) {
    flights.release(key, flight);
    flight.complete(PLAIN_CALL);
  }

  private long lockHoldMs() {
    return Math.max(1, loadTimeoutNanos / 1_000_000L);
  }

  /**
   * Joins another caller's load of {@code key}. A caller that holds a value it may serve at once (fresh, or stale
   * within stale-while-revalidate, its own or the one the load replaces) does not wait; one that waits past
   * load-timeout, or whose load fails, gets the stale value while it is usable.
   */
  private Object await(String key, Flights.InFlight running, CacheEntry fallback, Call call) {
    CacheEntry stale = unlessTagEvicted(key, fallback != null ? fallback : running.fallback);
    long now = clock.millis();
    if (stale != null && decision.servesAtOnce(stale, now)) {
      if (now < stale.freshUntil()) {
        metrics.freshHits.increment();
      } else {
        metrics.staleHits.increment();
      }
      return handout.of(stale.value(), call.valueType(), call.future);
    }
    if (fallback == null) {
      metrics.misses.increment();
    }
    metrics.coalescedWaits.increment();
    if (call.refreshes != null) {
      // an element of a batch call waits only after the batch has loaded the elements it claimed (see BatchLoad)
      return new Join(key, running, stale, call);
    }
    if (call.future) {
      return joinLater(key, running, stale, call);
    }
    try {
      Object value = running.get(loadTimeoutNanos, TimeUnit.NANOSECONDS);
      return value == PLAIN_CALL ? null : handout.of(value, call.valueType());
    } catch (ExecutionException failed) {
      if (usable(stale)) {
        servedStaleOnError();
        return handout.of(stale.value(), call.valueType());
      }
      return new Rethrow(failed.getCause());
    } catch (TimeoutException slow) {
      if (usable(stale)) {
        servedStaleOnError();
        return handout.of(stale.value(), call.valueType());
      }
      metrics.loads.increment();
      Load load = new Load(key, null, stale, false, call.valueType(), false, clock.nanos(), clock.millis(),
          call.upstream, call.arguments);
      LoadScope.enter(this, key);
      return load;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Finishes a {@link Load}: stores a value, hands the outcome to the callers that waited, and decides what the
   * loading caller returns.
   *
   * <p>For a method that returns a future, {@code value} is that future: the load ends when it completes (see
   * {@link #completeWhenDone}), and the caller returns the future this method returns instead.
   *
   * @return {@link #AS_CALLED} to return or throw what the upstream did, otherwise the (stale) value to return
   *     instead of the upstream's exception ({@link #NULL_VALUE} for {@code null}), or for a method that returns a
   *     future, the future to return instead of the upstream's
   */
  public Object complete(Load load, Object value, Throwable error) {
    LoadScope.exit(this, load.key);
    if (!load.future) {
      return finish(load, value, error);
    }
    if (error == null) {
      return completeWhenDone(load, value);
    }
    // the method threw instead of returning a future: as any method that throws; a stale value comes as a future
    Object instead = finish(load, null, error);
    return instead == AS_CALLED ? AS_CALLED
        : CompletableFuture.completedFuture(instead == NULL_VALUE ? null : instead);
  }

  /**
   * The load of a method that returns a future ends when that future completes, on whichever thread completes it:
   * what it completes with is stored, or its exception handled, by {@link #finish} exactly as a value returned or
   * an exception thrown by any method. The caller gets at once a future of its own that completes after that: with
   * the value, the stale one (stale-if-error), or the future's exception.
   */
  private Object completeWhenDone(Load load, Object returned) {
    Flights.InFlight flight = load.flight;
    if (!(returned instanceof CompletionStage)) {
      // no future (null): nothing to keep; callers that joined the load call the method themselves
      loadEnded(load, true);
      if (flight != null) {
        flights.release(load.key, flight);
        flight.complete(PLAIN_CALL);
      }
      return AS_CALLED;
    }
    if (flight != null) {
      // the load no longer runs on this thread: a later call of the key by this thread joins it like any other
      flight.owner = null;
    }
    try {
      return FutureLoads.whenDone((CompletionStage<?>) returned, (value, error) -> finish(load, value, error), null);
    } catch (Throwable internal) {
      if (flight != null && !flight.isDone()) {
        flights.release(load.key, flight);
        flight.complete(PLAIN_CALL);
      }
      internalErrors.warn("complete", "rule '" + policy.name() + "': internal error after a load", internal);
      return AS_CALLED;
    }
  }

  /** Counts a load that ended, returned ({@code succeeded}) or thrown, and how long it took. */
  private void loadEnded(Load load, boolean succeeded) {
    metrics.loadDurations.record(clock.nanos() - load.startedNanos);
    if (succeeded) {
      metrics.loadSuccesses.increment();
    } else {
      metrics.loadErrors.increment();
    }
  }

  /**
   * A caller got a stale value because the upstream failed or was too slow. The first such call since the upstream
   * last answered starts an episode, logged once per rule, so an operator sees when the fail-safe starts and (below)
   * when it ends. An upstream that keeps flapping between slow and fine (loads just past load-timeout) would write a
   * pair of lines per flap: an episode that starts within {@value #STALE_EPISODE_LOG_INTERVAL_MS} ms of the last
   * logged start is only counted, neither its start nor its end logged, and the next logged start says how many.
   */
  private void servedStaleOnError() {
    metrics.staleOnError.increment();
    if (metrics.servingStaleOnError.get() != RuleMetrics.NOT_SERVING_STALE) {
      return;
    }
    long now = clock.millis();
    boolean logged = now >= metrics.staleEpisodeLogAllowedAt;
    int state = logged ? RuleMetrics.SERVING_STALE_LOGGED : RuleMetrics.SERVING_STALE_QUIETLY;
    if (!metrics.servingStaleOnError.compareAndSet(RuleMetrics.NOT_SERVING_STALE, state)) {
      return;
    }
    if (!logged) {
      metrics.quietStaleEpisodes.incrementAndGet();
      return;
    }
    metrics.staleEpisodeLogAllowedAt = now + STALE_EPISODE_LOG_INTERVAL_MS;
    int quiet = metrics.quietStaleEpisodes.getAndSet(0);
    LOG.warn("rule '{}': the upstream fails; serving stale values (stale-if-error) until it answers again{}",
        policy.name(), quiet == 0 ? "" : " (" + quiet + " shorter episodes since the last such line were not logged)");
  }

  /** A load or refresh returned: ends the fail-safe state of the rule, if it was in it (one volatile read if not). */
  private void upstreamAnswered() {
    int state = metrics.servingStaleOnError.get();
    if (state != RuleMetrics.NOT_SERVING_STALE
        && metrics.servingStaleOnError.compareAndSet(state, RuleMetrics.NOT_SERVING_STALE)
        && state == RuleMetrics.SERVING_STALE_LOGGED) {
      LOG.info("rule '{}': the upstream answers again; stale values are no longer served on its failures",
          policy.name());
    }
  }

  /** The outcome of a load, once the upstream returned or threw (or its future completed): see {@link #complete}. */
  private Object finish(Load load, Object value, Throwable error) {
    Flights.InFlight flight = load.flight;
    try {
      long now = clock.millis();
      loadEnded(load, error == null);
      if (error == null) {
        upstreamAnswered();
        Object kept = storeLoaded(load, value, now);
        if (load.locked) {
          // queued behind the write above, so the next holder of the lock finds the new value in Redis
          shared.unlock(load.key);
        }
        flights.release(load.key, flight);
        if (flight != null) {
          flight.complete(kept);
        }
        return AS_CALLED;
      }
      if (load.locked) {
        shared.unlock(load.key);
      }
      CacheEntry fallback = load.fallback;
      boolean serveStale = fallback != null && now < fallback.staleUntil()
          && unlessTagEvicted(load.key, fallback) != null;
      if (serveStale) {
        // before the flight is released, so that a caller arriving next sees the backoff instead of retrying
        backoff.recordFailure(load.key, fallback, now);
      }
      flights.release(load.key, flight);
      if (flight != null) {
        flight.completeExceptionally(error);
      }
      if (serveStale) {
        Object stale = handout.of(fallback.value(), load.valueType);
        if (stale != null) {
          servedStaleOnError();
          return stale;
        }
      }
      return AS_CALLED;
    } catch (Throwable internal) {
      if (flight != null && !flight.isDone()) {
        flights.release(load.key, flight);
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

  /**
   * Keeps what a load returned in every tier of the rule, unless its key was evicted while it ran; returns the
   * instance the load's waiters are handed copies of. A {@code null} this rule does not cache removes the key from
   * every tier. The memory write is atomic with an evict's cancel-then-remove (see {@link MemoryTier#putUnless}), so
   * no caller can read a value whose load an evict cancelled; an evict that lands after the Redis write was queued
   * takes that write back.
   */
  private Object storeLoaded(Load load, Object value, long now) {
    Flights.InFlight flight = load.flight;
    String key = load.key;
    if (flight != null && flight.invalidated) {
      return value;
    }
    backoff.clear(key);
    if (value == null && !policy.cacheNulls()) {
      for (RuleCache member : partitions.members()) {
        member.memory.evict(key);
      }
      if (load.fallback != null) {
        removeElsewhere(key, now);
      }
      return null;
    }
    Object kept = handout.kept(value);
    if (kept == null && value != null) {
      return value;
    }
    String[] tags = load.upstream == null ? null : load.upstream.tags(load.arguments, value);
    if (tags != null) {
      for (int i = 0; i < tags.length; i++) {
        tags[i] = TagTimes.normalized(tags[i]);
      }
    }
    long jitter = maxJitterMs > 0 ? ThreadLocalRandom.current().nextLong(maxJitterMs + 1) : 0;
    long freshUntil = now + ttlMs + jitter;
    long refreshAt = refreshAheadMs >= 0 ? now + refreshAheadMs : Long.MAX_VALUE;
    // a tagged value counts as written when its load started: an evict of its tag while the load ran (which may
    // have read the data before the change) makes it missing too
    long writtenAt = tags == null ? now : Math.min(now, load.startedMillis);
    CacheEntry entry = new CacheEntry(kept, writtenAt, freshUntil, freshUntil + staleWindowMs, refreshAt, tags);
    metrics.puts.increment();
    if (inMemory) {
      if (flight != null) {
        memory.putUnless(key, entry, () -> flight.invalidated);
      } else {
        memory.put(key, entry);
      }
    }
    if (shared != null) {
      evictions.written(key);
      shared.put(key, entry);
    }
    if (announces(load.fallback)) {
      publish(BackplaneMessage.Action.SET, key, now);
    }
    if (flight != null && flight.invalidated && shared != null) {
      // an evict that landed after the Redis write was queued: take the write back there too
      shared.evict(key);
    }
    return kept;
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

  /** Starts one background refresh of {@code key} (unless a load of it runs already). */
  private void refreshInBackground(String key, CacheEntry stale, Call call) {
    if (call.upstream == null) {
      return;
    }
    Flights.InFlight flight = new Flights.InFlight(null);
    flight.fallback = stale;
    if (flights.claim(key, flight) != null) {
      return;
    }
    if (call.refreshes != null) {
      // an element of a batch call: refreshed with the batch's other stale elements, in one call (see BatchLoad)
      call.refreshes.add(new PendingRefresh(key, stale, flight, call));
      return;
    }
    // the refresh runs with the caller's context class loader (a web application's, as its container set it), which
    // a pool thread would otherwise not have
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    boolean queued = refreshPool.submit(() -> refreshWithContext(key, stale, flight, call, context));
    if (queued) {
      metrics.refreshes.increment();
    } else {
      flights.release(key, flight);
      flight.complete(stale.value());
    }
  }

  private void refreshWithContext(String key, CacheEntry stale, Flights.InFlight flight, Call call,
      ClassLoader context) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    if (before == context) {
      refresh(key, stale, flight, call);
      return;
    }
    thread.setContextClassLoader(context);
    try {
      refresh(key, stale, flight, call);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** A background refresh: the same preparation and completion as a load on a caller's thread. */
  private void refresh(String key, CacheEntry stale, Flights.InFlight flight, Call call) {
    flight.owner = Thread.currentThread();
    Object prepared;
    try {
      prepared = prepareLoad(key, flight, stale, call, true);
    } catch (Throwable internal) {
      abandon(key, flight);
      internalErrors.warn("refresh", "rule '" + policy.name() + "': internal error before a refresh", internal);
      return;
    }
    if (!(prepared instanceof Load)) {
      return;
    }
    Object value = null;
    Throwable failed = null;
    try {
      value = call.upstream.call(call.receiver, call.arguments);
    } catch (Throwable t) {
      failed = t;
      LOG.debug("rule '{}': background refresh failed: {}", policy.name(), t.toString());
    }
    complete((Load) prepared, value, failed);
  }

  /**
   * Removes {@code key} from every tier (in every key space of the rule); a load of it already running will not
   * write its result.
   */
  public void evict(String key) {
    long now = clock.millis();
    if (keySpaces.isEmpty()) {
      evictOne(key, now);
    } else {
      for (String space : keySpaces) {
        evictOne(space + ":" + key, now);
      }
    }
    metrics.evictions.increment();
  }

  private void evictOne(String key, long now) {
    for (RuleCache member : partitions.members()) {
      member.flights.cancel(key);
      member.memory.evict(key);
      if (member != this) {
        member.backoff.clear(key);
      }
    }
    removeElsewhere(key, now);
  }

  /** Removes every key of this rule from every tier. */
  public void evictAll() {
    for (RuleCache member : partitions.members()) {
      member.flights.cancelAll();
      member.memory.clear();
      member.backoff.clearAll();
    }
    long now = clock.millis();
    if (shared != null) {
      evictions.cleared(now);
      shared.clear();
    }
    publish(BackplaneMessage.Action.CLEAR, "", now);
    metrics.evictions.increment();
  }

  /** The part of an eviction beyond this instance's memory: its failure history, Redis and the other instances. */
  private void removeElsewhere(String key, long now) {
    backoff.clear(key);
    if (shared != null) {
      evictions.evicted(key, now);
      shared.evict(key);
    }
    publish(BackplaneMessage.Action.EVICT, key, now);
  }

  /**
   * A caller of a method that returns a future joins another caller's load without waiting: its future completes
   * when the load's does, with what {@link #await} would have returned. If the load outlasts load-timeout, the
   * future completes with the stale value while it is usable, else with a call of the method made for this caller
   * in the background (uncached, as a caller that waits too long calls it itself), whichever comes first.
   */
  private Object joinLater(String key, Flights.InFlight running, CacheEntry stale, Call call) {
    CompletableFuture<Object> given = FutureLoads.whenDone(running, (value, error) -> {
      if (error != null) {
        if (usable(stale)) {
          servedStaleOnError();
          return handout.of(stale.value(), call.valueType());
        }
        return AS_CALLED;
      }
      return value == PLAIN_CALL ? null : handout.of(value, call.valueType());
    }, () -> callUncached(key, call));
    if (!given.isDone()) {
      Future<?> timeout = refreshPool.submitAfter(loadTimeoutNanos, () -> {
        if (given.isDone()) {
          return;
        }
        if (usable(stale)) {
          Object fallback = handout.of(stale.value(), call.valueType());
          if (fallback != null) {
            servedStaleOnError();
            given.complete(fallback == NULL_VALUE ? null : fallback);
            return;
          }
        }
        FutureLoads.follow(() -> callUncached(key, call), given);
      });
      if (timeout != null) {
        given.whenComplete((value, error) -> timeout.cancel(false));
      }
    }
    return given;
  }

  /**
   * Calls the method of {@code call} again, uncached: a nested call of the key on this thread runs the original
   * code, as in any load.
   */
  private Object callUncached(String key, Call call) throws Throwable {
    LoadScope.enter(this, key);
    try {
      return call.upstream.call(call.receiver, call.arguments);
    } finally {
      LoadScope.exit(this, key);
    }
  }

  private boolean usable(CacheEntry fallback) {
    return fallback != null && clock.millis() < fallback.staleUntil()
        && (fallback.tags() == null || tagTimes.current(fallback));
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
   * way a load of the key running here is not kept. Nothing is published back. A long key comes as its hash
   * ({@link BackplaneMessage#keyOnChannel}) and applies to the keys held here that hash to it; the change's time is
   * another host's word, so one later than now is taken as now ({@link EntryTimeLimits#happenedAt}).
   */
  void applyRemote(BackplaneMessage.Entry change) {
    metrics.backplaneIn.increment();
    for (RuleCache member : partitions.members()) {
      member.applyRemoteHere(change);
    }
  }

  /** {@link #applyRemote} in this cache alone (one partition of the rule). */
  private void applyRemoteHere(BackplaneMessage.Entry change) {
    if (change.action() == BackplaneMessage.Action.CLEAR) {
      flights.cancelAll();
      memory.clear();
      backoff.clearAll();
      return;
    }
    long time = EntryTimeLimits.happenedAt(change.time(), clock.millis());
    if (HashedKey.looksHashed(change.key())) {
      for (String key : keysSentAs(change.key())) {
        applyRemote(change.action(), key, time);
      }
    } else {
      applyRemote(change.action(), change.key(), time);
    }
  }

  private void applyRemote(BackplaneMessage.Action action, String key, long time) {
    if (action == BackplaneMessage.Action.SET) {
      // a load of the key running here may have read its value before the newer one was written there: its
      // callers get it, but it is not kept, or it would replace the newer value here, in Redis, and (through its
      // own message) in the other instances
      flights.cancel(key);
      CacheEntry held = memory.get(key);
      if (held != null && held.writtenAt() <= time) {
        memory.remove(key, held);
      }
    } else {
      flights.cancel(key);
      memory.evict(key);
      backoff.clear(key);
    }
  }

  /**
   * The keys held or being loaded here that go on the channel as {@code hashed}. Only keys that are sent hashed are
   * hashed to compare (long ones, rare), so a message costs a pass over the keys but few digests.
   */
  private Set<String> keysSentAs(String hashed) {
    Set<String> found = new java.util.HashSet<>(2);
    for (Set<String> keys : java.util.List.of(memory.keys(), flights.keys())) {
      for (String key : keys) {
        if (BackplaneMessage.sentHashed(key) && HashedKey.of(key).equals(hashed)) {
          found.add(key);
        }
      }
    }
    return found;
  }

  /**
   * Marks every memory entry written before {@code before} stale, past its stale-while-revalidate window: it stays
   * usable as a fallback, and the next access revalidates it (from Redis, or the upstream) before serving it. Loads
   * running now are suspect in the same way (they may have read their value before an invalidation that was
   * missed): their callers get the value, but it is not kept.
   */
  void markStaleWrittenBefore(long before) {
    long now = clock.millis();
    for (RuleCache member : partitions.members()) {
      member.flights.cancelAll();
      member.memory.markStaleWrittenBefore(before, now - swrMs - 1);
    }
  }

  /** A load or refresh of this rule starts ({@code +1}) or ends ({@code -1}) on some thread. */
  void scopesOpened(int delta) {
    OPEN_SCOPES.addAndGet(this, delta);
  }

  /**
   * A batch call of ids whose single-element keys are {@code keys} (distinct; SPEC §3 "Batch rules"): each key is
   * looked up as a single call of it would be, the elements that must be loaded are loaded in one call of {@code
   * upstream} on this thread, the stale ones within stale-while-revalidate are refreshed in one background call.
   *
   * @param ids the id of each key, in the same order: what {@code upstream} is called with
   * @return the value of each key, in the order of {@code keys} ({@code null} for a cached or loaded {@code null}),
   *     or {@code null} when the call should run uncached (a nested call inside a load of one of its keys, a
   *     cached value of another type, an internal error)
   */
  public Object[] getAll(String[] keys, Object[] ids, BatchUpstream upstream, Object receiver) {
    return new BatchLoad(this, keys, ids, upstream, receiver).run();
  }

  /**
   * The first step of a batch call for one element: the value to serve, {@link #NULL_VALUE}, a {@link Load} this
   * batch holds, a {@link Join} of another caller's load, or {@code null} when the element (and so the call) must run
   * uncached. Like {@link #begin}, without the fresh-hit shortcut and without ever waiting.
   */
  Object beginElement(String key, Call call) {
    if (openScopes != 0 && LoadScope.holds(this, key)) {
      return null;
    }
    long now = clock.millis();
    CacheEntry entry = inMemory ? memory.get(key, now) : redisOnly(key);
    return onEntry(key, unlessTagEvicted(key, entry), now, call);
  }

  /**
   * Waits for the load a batch element joined, as a single caller waits (see {@link #await}): the value, the stale
   * one when the load failed or outlasted load-timeout, or {@code null} when this caller must load the element
   * itself ({@link #loadAfterWaiting}).
   */
  Object awaitJoined(Join join) {
    try {
      Object value = join.running.get(loadTimeoutNanos, TimeUnit.NANOSECONDS);
      return value == PLAIN_CALL ? null : handout.of(value, join.call.valueType());
    } catch (ExecutionException | TimeoutException failed) {
      if (usable(join.stale)) {
        Object stale = handout.of(join.stale.value(), join.call.valueType());
        if (stale != null) {
          servedStaleOnError();
        }
        return stale;
      }
      return null;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * A load of a joined element whose load failed or outlasted load-timeout, made by the batch caller itself, as a
   * single caller that waited too long makes it (not coalesced; its value is kept).
   */
  Load loadAfterWaiting(Join join) {
    metrics.loads.increment();
    Load load = new Load(join.key, null, join.stale, false, join.call.valueType(), false, clock.nanos(),
        clock.millis(), join.call.upstream, join.call.arguments);
    LoadScope.enter(this, join.key);
    return load;
  }

  /**
   * Ends a load that a batch call claimed but will not make (the call runs uncached): nothing is kept, and the
   * callers waiting on it call the method uncached, as for any load that failed inside the runtime.
   */
  void abandonLoad(Load load) {
    LoadScope.exit(this, load.key);
    if (load.locked) {
      shared.unlock(load.key);
    }
    if (load.flight != null) {
      abandon(load.key, load.flight);
    }
  }

  /**
   * Starts one background refresh of the stale elements of a batch call, all in one call of {@code upstream}; each
   * element's load is claimed already. Ends the claims at once if the pool takes no more work.
   */
  void refreshInBackground(List<PendingRefresh> pending, BatchUpstream upstream, Object receiver) {
    if (pending.isEmpty()) {
      return;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    boolean queued = refreshPool.submit(() -> {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(context);
      try {
        refreshAll(pending, upstream, receiver);
      } finally {
        thread.setContextClassLoader(before);
      }
    });
    if (queued) {
      metrics.refreshes.add(pending.size());
    } else {
      for (PendingRefresh p : pending) {
        flights.release(p.key, p.flight);
        p.flight.complete(p.stale.value());
      }
    }
  }

  /** The background refresh of stale batch elements: the same preparation and completion as single refreshes. */
  private void refreshAll(List<PendingRefresh> pending, BatchUpstream upstream, Object receiver) {
    List<Load> loads = new java.util.ArrayList<>(pending.size());
    List<Object> ids = new java.util.ArrayList<>(pending.size());
    for (PendingRefresh p : pending) {
      p.flight.owner = Thread.currentThread();
      try {
        Object prepared = prepareLoad(p.key, p.flight, p.stale, p.call, true);
        if (prepared instanceof Load) {
          loads.add((Load) prepared);
          ids.add(p.call.arguments);
        }
      } catch (Throwable internal) {
        abandon(p.key, p.flight);
        internalErrors.warn("refresh", "rule '" + policy.name() + "': internal error before a refresh", internal);
      }
    }
    if (!loads.isEmpty()) {
      BatchLoad.loadAll(this, loads, ids, upstream, receiver);
    }
  }

  private static Class<?> valueType(Upstream upstream) {
    return upstream == null ? Object.class : upstream.valueType();
  }

  @Override
  public String toString() {
    return "RuleCache{" + policy.name() + "}";
  }

  /** A call that missed the fresh path: what a background refresh needs to call the method again. */
  static final class Call {
    final Upstream upstream;
    final Object receiver;
    final Object arguments;
    /** True when the method returns a future: callers get futures, and never wait for a load. */
    final boolean future;
    /**
     * For an element of a batch call, where its background refresh goes (to be made in one call with the batch's
     * other stale elements); {@code null} for a single call.
     */
    final List<PendingRefresh> refreshes;

    Call(Upstream upstream, Object receiver, Object arguments) {
      this(upstream, receiver, arguments, null);
    }

    Call(Upstream upstream, Object receiver, Object arguments, List<PendingRefresh> refreshes) {
      this.upstream = upstream;
      this.receiver = receiver;
      this.arguments = arguments;
      this.future = upstream != null && upstream.returnsFuture();
      this.refreshes = refreshes;
    }

    Class<?> valueType() {
      return RuleCache.valueType(upstream);
    }
  }

  /** A batch element whose load another caller holds: waited for after the batch's own load. */
  static final class Join {
    final String key;
    final Flights.InFlight running;
    /** The stale value served if the load fails or is slow; {@code null} when there is none. */
    final CacheEntry stale;
    final Call call;

    Join(String key, Flights.InFlight running, CacheEntry stale, Call call) {
      this.key = key;
      this.running = running;
      this.stale = stale;
      this.call = call;
    }
  }

  /** A stale batch element whose background refresh is claimed, to be made with the batch's others. */
  static final class PendingRefresh {
    final String key;
    final CacheEntry stale;
    final Flights.InFlight flight;
    final Call call;

    PendingRefresh(String key, CacheEntry stale, Flights.InFlight flight, Call call) {
      this.key = key;
      this.stale = stale;
      this.flight = flight;
      this.call = call;
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
  static final class Rethrow {
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
