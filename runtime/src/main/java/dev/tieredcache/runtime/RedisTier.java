package dev.tieredcache.runtime;

import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.RedisWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier of one rule: entries in Redis under {@code <namespace>:<rule>:<key>} (keys over 200 characters
 * hashed with SHA-256), each with the versioned header of {@link EntryCodec}, expiring (PX) when they turn
 * missing. Reads happen on the caller's thread, bounded by the Redis timeout; writes go through the
 * {@link RedisWriter}. A value that cannot be decoded (corrupt, foreign, a class the rule does not allow, an older
 * or newer format) is a miss, logged rate-limited, and the next load overwrites it.
 */
public final class RedisTier implements Tier {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
  static final int MAX_KEY_LENGTH = 200;

  private final RedisConnection redis;
  private final RedisWriter writer;
  private final String prefix;
  private final CacheClock clock;
  private final RuleMetrics metrics;
  private final ThrottledLog problems = new ThrottledLog(LOG);
  private final byte[] owner;
  private volatile EntryCodec codec;

  RedisTier(RedisConnection redis, RedisWriter writer, String namespace, String rule, CacheClock clock,
      RuleMetrics metrics, String instanceId) {
    this.redis = redis;
    this.writer = writer;
    this.prefix = namespace + ":" + rule + ":";
    this.clock = clock;
    this.metrics = metrics;
    this.owner = instanceId.getBytes(StandardCharsets.UTF_8);
  }

  /** Sets how values are encoded; until then the tier holds nothing. */
  void useCodec(EntryCodec codec) {
    this.codec = codec;
  }

  /** The Redis key of a cache key. */
  String redisKey(String key) {
    String full = prefix + key;
    if (full.length() <= MAX_KEY_LENGTH) {
      return full;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(prefix.length() + 71).append(prefix).append("sha256:");
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
    }
  }

  @Override
  public CacheEntry get(String key) {
    EntryCodec c = codec;
    if (c == null) {
      return null;
    }
    String redisKey = redisKey(key);
    byte[] bytes;
    try {
      bytes = redis.get(bytes(redisKey));
    } catch (RedisUnavailableException e) {
      metrics.redisErrors.increment();
      return null;
    }
    if (bytes == null) {
      return null;
    }
    try {
      CacheEntry entry = c.decode(bytes);
      if (entry.state(clock.millis()) == EntryState.MISSING) {
        return null;
      }
      metrics.redisHits.increment();
      return entry;
    } catch (RuntimeException unreadable) {
      problems.warn("decode:" + prefix, "the value under Redis key " + redisKey + " cannot be read ("
          + unreadable.getMessage() + "); treated as a miss, the next load overwrites it", null);
      return null;
    }
  }

  @Override
  public void put(String key, CacheEntry entry) {
    EntryCodec c = codec;
    if (c == null) {
      return;
    }
    long expireAfter = entry.staleUntil() - clock.millis();
    if (expireAfter <= 0) {
      return;
    }
    byte[] bytes;
    try {
      bytes = c.encode(entry);
    } catch (RuntimeException unwritable) {
      problems.warn("encode:" + prefix, "a value of rule " + prefix + " cannot be stored in Redis ("
          + unwritable.getMessage() + "); it stays in memory only", null);
      return;
    }
    String redisKey = redisKey(key);
    writer.set(redisKey, bytes(redisKey), bytes, expireAfter);
  }

  @Override
  public void evict(String key) {
    String redisKey = redisKey(key);
    if (!writer.delete(redisKey, bytes(redisKey), waitMs())) {
      problems.warn("evict:" + prefix, "could not delete Redis key " + redisKey + " in time; the delete is retried"
          + " in the background", null);
    }
  }

  @Override
  public void clear() {
    if (!writer.deleteByPrefix(prefix, waitMs() * 4)) {
      problems.warn("clear:" + prefix, "could not delete the Redis keys " + prefix + "* in time; retried in the"
          + " background", null);
    }
  }

  /** Tries to take the cluster-wide refresh lock of {@code key} for {@code holdMs}; false if another holds it. */
  boolean tryLock(String key, long holdMs) {
    try {
      return redis.setIfAbsent(bytes(redisKey(key) + ":lock"), owner, holdMs);
    } catch (RedisUnavailableException e) {
      metrics.redisErrors.increment();
      // without Redis there is no one to coordinate with: refresh locally rather than serve stale forever
      return true;
    }
  }

  /** Releases the lock of {@code key} after the writes queued so far have reached Redis. */
  void unlock(String key) {
    String lockKey = redisKey(key) + ":lock";
    writer.unlock(lockKey, bytes(lockKey), owner);
  }

  /** How long an evict waits for Redis to have deleted; not at all while the breaker skips Redis. */
  private long waitMs() {
    return redis.isCircuitOpen() ? 0 : Math.max(50, redis.config().timeout().toMillis() * 2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
