package dev.tieredcache.runtime;

import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.backplane.BackplaneListener;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The caching engine: the rules, the clock they share and the background refresh pool. Usable as a library on
 * its own; the agent builds one from the rules file.
 */
public final class TieredCache implements AutoCloseable {

  private final CacheClock clock;
  private final TickingClock ownClock;
  private final RefreshPool refreshPool;
  private final Map<String, RuleCache> rules = Collections.synchronizedMap(new LinkedHashMap<>());

  private final ScheduledExecutorService sweeper;
  private final String namespace;
  private final String instanceId;
  private final RedisConnection redis;
  private final RedisWriter redisWriter;
  private final SharedTierFactory sharedTiers;
  private final Backplane backplane;
  private final TagTimes tagTimes;
  /** Evicts of a tag made here, and applied from other instances' backplane messages. */
  private final java.util.concurrent.atomic.LongAdder tagEvictions = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder remoteTagEvictions =
      new java.util.concurrent.atomic.LongAdder();

  private TieredCache(Builder b) {
    this.ownClock = b.clock == null ? new TickingClock() : null;
    this.clock = b.clock != null ? b.clock : ownClock;
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "tiered-cache-sweeper");
      t.setDaemon(true);
      return t;
    });
    // a future method's caller that got its value in time cancels its load-timeout: drop it from the queue at once
    timer.setRemoveOnCancelPolicy(true);
    this.sweeper = timer;
    this.refreshPool = b.refreshExecutor != null
        ? new RefreshPool(b.refreshExecutor, timer) : new RefreshPool(b.refreshThreads, b.refreshQueue, timer);
    this.namespace = b.namespace;
    this.instanceId = b.instanceId != null ? b.instanceId : UUID.randomUUID().toString();
    if (b.redis != null) {
      this.redis = new RedisConnection(b.redis, clock);
      this.redisWriter = new RedisWriter(redis, b.redisWriteQueue);
      this.sharedTiers = new SharedTierFactory(redis, redisWriter, namespace, instanceId);
    } else {
      if (b.backplane) {
        throw new IllegalArgumentException("the backplane needs Redis: configure redis(...) too");
      }
      this.redis = null;
      this.redisWriter = null;
      this.sharedTiers = null;
    }
    this.tagTimes = new TagTimes(clock, redis, redisWriter, namespace, this::longestLifeMs, b.maxTags);
    // last: its subscriber thread starts at once, and its first confirmation already reaches the rules and the tag
    // times through RuleDispatch (started before tagTimes was set, a quick confirmation met a null there, which
    // dropped the fresh subscription: one needless reconnect and a warning at start-up)
    this.backplane = redis != null && b.backplane
        ? new Backplane(redis, redisWriter, namespace, instanceId, clock, new RuleDispatch(), b.backplaneKeepalive)
        : null;
    long every = b.sweepInterval.toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    CallPathPreload.run(clock, refreshPool, redis != null);
  }

  /** Drops every rule's memory entries that have turned missing (also done periodically). */
  public void sweep() {
    if (redis != null) {
      redis.testIdleConnections();
    }
    for (RuleCache rule : rules()) {
      try {
        rule.sweep();
      } catch (RuntimeException e) {
        // a failing sweep must not stop later sweeps; entries stay bounded by max-entries meanwhile
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public CacheClock clock() {
    return clock;
  }

  /** The prefix of every Redis key and of the backplane channel. */
  public String namespace() {
    return namespace;
  }

  /** This instance's id (random per start), carried by its lock values and backplane messages. */
  public String instanceId() {
    return instanceId;
  }

  /** The backplane, if enabled. */
  public Optional<Backplane> backplane() {
    return Optional.ofNullable(backplane);
  }

  /** The Redis connection shared by the rules, if Redis is configured. */
  public Optional<RedisConnection> redis() {
    return Optional.ofNullable(redis);
  }

  /** Adds a rule; its name must be new. */
  public RuleCache addRule(RulePolicy policy) {
    RuleCache cache = new RuleCache(policy, clock, refreshPool, sharedTiers, backplane, null, tagTimes);
    if (rules.putIfAbsent(policy.name(), cache) != null) {
      throw new IllegalArgumentException("a rule named '" + policy.name() + "' exists already");
    }
    return cache;
  }

  /**
   * Replaces every rule with the rules of {@code policies}, in their order: a rule named in {@code keep} that
   * exists already takes over that rule's entries, running loads and counters (its new policy applies to new
   * writes); any other is new and empty; a rule left out is dropped with its memory entries.
   *
   * @return the rules now in place, by name
   */
  public Map<String, RuleCache> replaceRules(java.util.List<RulePolicy> policies, java.util.Set<String> keep) {
    Map<String, RuleCache> next = new LinkedHashMap<>();
    synchronized (rules) {
      for (RulePolicy policy : policies) {
        RuleCache predecessor = keep.contains(policy.name()) ? rules.get(policy.name()) : null;
        RuleCache cache = new RuleCache(policy, clock, refreshPool, sharedTiers, backplane, predecessor, tagTimes);
        if (next.putIfAbsent(policy.name(), cache) != null) {
          throw new IllegalArgumentException("a rule named '" + policy.name() + "' appears twice");
        }
      }
      rules.clear();
      rules.putAll(next);
    }
    return Collections.unmodifiableMap(next);
  }

  /**
   * Evicts {@code tag} (SPEC §3 "Tags"): every entry written with it up to now counts as missing, in every rule and
   * tier of this instance at once, and in the other instances when their backplane message arrives (or, for one
   * started later, when it reads the tag's time from Redis). Returns once the clock has moved past the evict's
   * millisecond (see {@link TagTimes#awaitPast}).
   */
  public void evictTag(String tag) {
    String kept = TagTimes.normalized(Objects.requireNonNull(tag, "tag"));
    long time = tagTimes.evict(kept);
    tagEvictions.increment();
    if (backplane != null) {
      backplane.publishTag(kept, time);
    }
    tagTimes.awaitPast(time);
  }

  /** The tag times of this instance; for tests. */
  TagTimes tagTimes() {
    return tagTimes;
  }

  /** How many evicts of a tag this instance made ({@link #evictTag}) since it started. */
  public long tagEvictions() {
    return tagEvictions.sum();
  }

  /** How many evicts of a tag other instances announced on the backplane and this one applied. */
  public long remoteTagEvictions() {
    return remoteTagEvictions.sum();
  }

  /** The longest time an entry of any rule stays alive (ttl, jitter and stale window): how long a tag time is kept. */
  private long longestLifeMs() {
    long longest = 0;
    for (RuleCache rule : rules()) {
      RulePolicy p = rule.policy();
      longest = Math.max(longest, p.ttl().plus(p.maxJitter()).plus(p.staleWindow()).toMillis());
    }
    return longest;
  }

  public Optional<RuleCache> rule(String name) {
    return Optional.ofNullable(rules.get(name));
  }

  /** Every rule, in the order they were added. */
  public Collection<RuleCache> rules() {
    synchronized (rules) {
      return java.util.List.copyOf(rules.values());
    }
  }

  /**
   * Waits, at most {@code max}, until the Redis writes and backplane messages queued so far have been sent; for a
   * JVM about to exit. True when nothing is left waiting.
   */
  public boolean flush(Duration max) {
    return redisWriter == null || redisWriter.flush(max.toMillis());
  }

  /**
   * Stops the background threads and waits (a few seconds at most) until they have ended, so that an agent that is
   * detached leaves no thread behind; rules answer no more refreshes.
   */
  @Override
  public void close() {
    sweeper.shutdownNow();
    refreshPool.close();
    if (backplane != null) {
      backplane.close();
    }
    if (redisWriter != null) {
      redisWriter.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (ownClock != null) {
      ownClock.close();
    }
    try {
      long waitMs = 2_000;
      sweeper.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
      refreshPool.awaitStopped(waitMs);
      if (backplane != null) {
        backplane.awaitStopped(waitMs);
      }
      if (redisWriter != null) {
        redisWriter.awaitStopped(waitMs);
      }
      if (ownClock != null) {
        ownClock.awaitStopped(waitMs);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Routes backplane messages to the rule they name. */
  private final class RuleDispatch implements BackplaneListener {
    @Override
    public boolean apply(BackplaneMessage.Entry entry) {
      if (entry.action() == BackplaneMessage.Action.TAG) {
        tagTimes.applyRemote(entry.key(), entry.time());
        remoteTagEvictions.increment();
        return true;
      }
      RuleCache rule = rules.get(entry.rule());
      if (rule == null) {
        return false;
      }
      rule.applyRemote(entry);
      return true;
    }

    @Override
    public void markAllStale(long resubscribedAt) {
      // tag evicts may have been missed too: their times are read from Redis again
      tagTimes.forgetAll();
      for (RuleCache rule : rules()) {
        rule.markStaleWrittenBefore(resubscribedAt);
      }
    }
  }

  /** Configures a {@link TieredCache}. */
  public static final class Builder {
    private CacheClock clock;
    private int refreshThreads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    private int refreshQueue = 1_000;
    private Executor refreshExecutor;
    private Duration sweepInterval = Duration.ofSeconds(10);
    private String namespace = "tiered-cache";
    private String instanceId;
    private RedisConfig redis;
    private int redisWriteQueue = 10_000;
    private boolean backplane;
    private Duration backplaneKeepalive = Duration.ofSeconds(5);
    private int maxTags = TagTimes.MAX_TAGS;

    private Builder() {}

    /** The time source; by default a {@link TickingClock} owned by the cache. */
    public Builder clock(CacheClock clock) {
      this.clock = clock;
      return this;
    }

    /** The number of background refresh threads (default: cores, between 2 and 8). */
    public Builder refreshThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("refresh threads must be at least 1");
      }
      this.refreshThreads = n;
      return this;
    }

    /** How many refreshes may wait for a thread before further ones are refused (default 1000). */
    public Builder refreshQueue(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("refresh queue must be at least 1");
      }
      this.refreshQueue = n;
      return this;
    }

    /**
     * Runs background refreshes on {@code executor} instead of the cache's own pool (which {@link #refreshThreads}
     * and {@link #refreshQueue} size); the caller owns it. A rejected task is a refused refresh. For tests that run
     * background work at chosen moments.
     */
    public Builder refreshExecutor(Executor executor) {
      this.refreshExecutor = Objects.requireNonNull(executor);
      return this;
    }

    /** How often memory entries that turned missing are dropped (default 10 s). */
    public Builder sweepInterval(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("sweep interval must be positive");
      }
      this.sweepInterval = every;
      return this;
    }

    /** The prefix of Redis keys and the backplane channel (default {@code tiered-cache}). */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace);
      return this;
    }

    /** This instance's id; random by default. */
    public Builder instanceId(String id) {
      this.instanceId = Objects.requireNonNull(id);
      return this;
    }

    /** Where Redis is; without it no rule has a Redis tier. */
    public Builder redis(RedisConfig config) {
      this.redis = config;
      return this;
    }

    /** Keeps the memory tiers of all instances in step through Redis Pub/Sub (needs {@link #redis}). */
    public Builder backplane(boolean on) {
      this.backplane = on;
      return this;
    }

    /** How often the backplane subscription is checked with a PING (default 5 s); see {@link Backplane}. */
    public Builder backplaneKeepalive(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("backplane keepalive must be positive");
      }
      this.backplaneKeepalive = every;
      return this;
    }

    /** How many Redis writes may wait before the oldest is dropped (default 10,000). */
    public Builder redisWriteQueue(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("redis write queue must be at least 1");
      }
      this.redisWriteQueue = n;
      return this;
    }

    /** How many tag times are kept in memory (default 100,000); more are read from Redis again when needed. */
    public Builder maxTags(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max tags must be at least 1");
      }
      this.maxTags = n;
      return this;
    }

    public TieredCache build() {
      return new TieredCache(this);
    }
  }
}
