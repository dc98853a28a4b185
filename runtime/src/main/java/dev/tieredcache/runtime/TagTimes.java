package dev.tieredcache.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tieredcache.runtime.redis.HashedKey;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.redis.ValueTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * When each tag was last evicted (SPEC §3 "Tags"): an entry that carried a tag when written counts as missing once
 * the tag is evicted at or after its write time, in every rule, tier and instance, without scanning keys.
 *
 * <p>Times are kept in memory (at most {@value #MAX_TAGS} tags, Caffeine), written to Redis as
 * {@code <namespace>:tag:<tag>} (expiring after the longest ttl + stale window of any rule, when no entry written
 * before the evict can be alive anywhere), and read from Redis when a tag is not in memory, so an instance started
 * after an evict does not serve the entries it finds in Redis. Other instances learn of an evict through the
 * backplane ({@link #applyRemote}). A time later than this host's clock (skew, or hostile content) is taken as now.
 *
 * <p>A hit of a tagged entry costs one volatile read while no tag changed: every change raises {@link #version}
 * after the time is stored, and an entry remembers the version at which it was last found current.
 */
final class TagTimes {

  /** The longest an evict waits for the clock to pass its millisecond ({@link #awaitPast}). */
  static final long PAST_WAIT_MS = 5;

  /** The most tag times kept in memory. */
  static final int MAX_TAGS = 100_000;
  private static final long NEVER = Long.MIN_VALUE;
  /** The longest time text read from Redis (a long's decimal digits and sign). */
  private static final int MAX_TIME_TEXT = 20;

  private final CacheClock clock;
  private final RedisConnection redis;
  private final RedisWriter writer;
  private final String keyPrefix;
  /** The longest time an entry stays alive in any rule: how long a tag's time is kept in Redis. */
  private final LongSupplier keepMs;
  private final Cache<String, Long> times;
  /** Without Redis, a tag time dropped by the bound is not found again: the latest such time applies to every tag. */
  private final AtomicLong forgottenUpTo = new AtomicLong(NEVER);
  private final AtomicLong version = new AtomicLong();
  private final ThrottledLog problems = new ThrottledLog(org.slf4j.LoggerFactory.getLogger(TagTimes.class));

  /** Tag times of one instance; {@code redis} and {@code writer} are {@code null} without Redis. */
  TagTimes(CacheClock clock, RedisConnection redis, RedisWriter writer, String namespace, LongSupplier keepMs,
      int maxTags) {
    this.clock = clock;
    this.redis = redis;
    this.writer = writer;
    this.keyPrefix = namespace + ":tag:";
    this.keepMs = keepMs;
    this.times = Caffeine.newBuilder().maximumSize(maxTags).executor(Runnable::run)
        .<String, Long>removalListener((tag, time, cause) -> {
          if (cause == RemovalCause.SIZE && redis == null && time != null) {
            forgottenUpTo.accumulateAndGet(time, Math::max);
          }
        }).build();
  }

  /**
   * The form a tag is kept, stored and sent in: itself, or its {@link HashedKey} when it is longer than an entry
   * header or a backplane message takes (or looks hashed itself).
   */
  static String normalized(String tag) {
    if (tag.length() * 3 > dev.tieredcache.runtime.codec.EntryCodec.MAX_TAG_BYTES || HashedKey.looksHashed(tag)) {
      byte[] utf8 = tag.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > dev.tieredcache.runtime.codec.EntryCodec.MAX_TAG_BYTES || HashedKey.looksHashed(tag)) {
        return HashedKey.of(tag);
      }
    }
    return tag;
  }

  /** True when no tag of {@code entry} was evicted at or after its write; {@code entry} must have tags. */
  boolean current(CacheEntry entry) {
    long seen = version.get();
    if (entry.tagsCurrentAt == seen) {
      return true;
    }
    long written = entry.writtenAt();
    for (String tag : entry.tags()) {
      if (written <= timeOf(tag)) {
        return false;
      }
    }
    entry.tagsCurrentAt = seen;
    return true;
  }

  /** The last evict of {@code tag} known here, from memory, else from Redis; {@link Long#MIN_VALUE} for none. */
  long timeOf(String tag) {
    Long known = times.getIfPresent(tag);
    if (known != null) {
      return known;
    }
    if (redis == null) {
      return forgottenUpTo.get();
    }
    long found;
    try {
      found = parse(redis.get(bytes(keyPrefix + tag)));
    } catch (RedisUnavailableException | ValueTooLargeException | RuntimeException unavailable) {
      // not kept: the next read asks Redis again
      return NEVER;
    }
    found = Math.min(found, clock.millis());
    long kept = times.asMap().merge(tag, found, Math::max);
    if (kept != NEVER) {
      version.incrementAndGet();
    }
    return kept;
  }

  /** Evicts {@code tag} (normalized) here and in Redis now; returns the eviction time. */
  long evict(String tag) {
    long now = clock.millis();
    times.asMap().merge(tag, now, Math::max);
    version.incrementAndGet();
    if (writer != null) {
      String key = keyPrefix + tag;
      writer.set(key, bytes(key), Long.toString(now).getBytes(StandardCharsets.US_ASCII),
          Math.max(1, keepMs.getAsLong()));
    }
    return now;
  }

  /**
   * Waits, at most {@value #PAST_WAIT_MS} ms, until the clock reads later than {@code time}, the millisecond of an evict
   * made here. An entry written in the evict's millisecond counts as evicted (its load may have read the data before
   * the evict), so without the wait a load that starts right after the evict returns, in the same millisecond, would
   * be thrown away and made again; with it, a load started after the evict returned is kept. The coarse clock moves
   * every millisecond; a clock that does not move (a test's) costs the evict the whole wait.
   */
  void awaitPast(long time) {
    long deadline = System.nanoTime() + PAST_WAIT_MS * 1_000_000L;
    while (clock.millis() <= time && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(100_000L);
    }
  }

  /** Another instance evicted {@code tag} at {@code time} (a time after now taken as now). */
  void applyRemote(String tag, long time) {
    long at = Math.min(time, clock.millis());
    times.asMap().merge(tag, at, Math::max);
    version.incrementAndGet();
  }

  /** Forgets every tag time held in memory, so the next reads ask Redis (after evicts may have been missed). */
  void forgetAll() {
    if (redis == null) {
      return;
    }
    times.invalidateAll();
    version.incrementAndGet();
  }

  /** Reads a time stored by {@link #evict}: decimal digits; anything else counts as no evict. */
  private long parse(byte[] stored) {
    if (stored == null) {
      return NEVER;
    }
    if (stored.length == 0 || stored.length > MAX_TIME_TEXT) {
      problems.warn("tag-time", "a tag time in Redis under " + keyPrefix + "* is not a time; ignored", null);
      return NEVER;
    }
    try {
      return Long.parseLong(new String(stored, StandardCharsets.US_ASCII));
    } catch (NumberFormatException notATime) {
      problems.warn("tag-time", "a tag time in Redis under " + keyPrefix + "* is not a time; ignored", null);
      return NEVER;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
