package dev.tieredcache.runtime;

import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.redis.HashedKey;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.redis.ValueTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier of one rule: entries in Redis under {@code <namespace>:<rule>:<key>}, each with the versioned
 * header of {@link EntryCodec}, expiring (PX) when they turn missing. The key part becomes {@code sha256:<hex>} (of
 * the key) when the whole name would pass 200 characters, and also when the key itself starts with
 * {@code sha256:}, so no key names another key's hashed entry. The refresh lock of a key is
 * {@code <namespace>:<rule>#lock:<key part>}: rule and namespace names never contain {@code #}, so no cache key
 * of any rule has that name. Reads happen on the caller's thread, bounded by the Redis timeout; writes go through
 * the {@link RedisWriter}. A value that cannot be decoded (corrupt, foreign, a class the rule does not allow, an older
 * or newer format), or that is larger than max-value-size, is a miss, logged rate-limited (an unreadable value once
 * at WARN until a value of the rule is read again, the rest at DEBUG), and the next load overwrites it; a larger
 * value is not even transferred, and one of this instance's is not written. The times of
 * an entry read are cut down to what the rule allows, and one written in the future is a miss
 * ({@link EntryTimeLimits}).
 */
public final class RedisTier implements Tier {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
  static final int MAX_KEY_LENGTH = 200;

  private final RedisConnection redis;
  private final RedisWriter writer;
  private final String prefix;
  private final String lockPrefix;
  private final CacheClock clock;
  private final RuleMetrics metrics;
  private final ThrottledLog problems = new ThrottledLog(LOG);
  private final String rule;
  private final StateChangeLog unreadable;
  /** Values found unreadable since the last one was read; told when values are read again. */
  private final AtomicLong unreadableCount = new AtomicLong();
  private final byte[] owner;
  private final EntryTimeLimits limits;
  private final int maxValueSize;
  private volatile EntryCodec codec;

  RedisTier(RedisConnection redis, RedisWriter writer, String namespace, RulePolicy policy, CacheClock clock,
      RuleMetrics metrics, String instanceId) {
    String rule = policy.name();
    this.rule = rule;
    this.unreadable = new StateChangeLog(LOG, clock, StateChangeLog.QUIET);
    this.limits = new EntryTimeLimits(policy);
    this.maxValueSize = redis.config().maxValueSize();
    this.redis = redis;
    this.writer = writer;
    this.prefix = namespace + ":" + rule + ":";
    this.lockPrefix = namespace + ":" + rule + "#lock:";
    this.clock = clock;
    this.metrics = metrics;
    this.owner = instanceId.getBytes(StandardCharsets.UTF_8);
  }

  /** Sets how values are encoded; until then the tier holds nothing. */
  void useCodec(EntryCodec codec) {
    this.codec = codec;
  }

  /** The Redis key of a cache key: the rule's prefix and {@link #keyPart(String)}. */
  String redisKey(String key) {
    return prefix + keyPart(key);
  }

  /** The Redis key of the refresh lock of a cache key; no cache key of any rule has this name. */
  String lockKey(String key) {
    return lockPrefix + keyPart(key);
  }

  /**
   * The key as it is, or {@code sha256:<hex>} when the whole Redis name would pass {@link #MAX_KEY_LENGTH} or the
   * key itself has that form (else a short key could name another key's hashed entry).
   */
  private String keyPart(String key) {
    if (prefix.length() + key.length() <= MAX_KEY_LENGTH && !HashedKey.looksHashed(key)) {
      return key;
    }
    return HashedKey.of(key);
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
    } catch (ValueTooLargeException tooLarge) {
      problems.warn("too-large:" + prefix, "the value under Redis key " + redisKey + " is " + tooLarge.getMessage()
          + "; not read, treated as a miss, the next load overwrites it", null);
      return null;
    }
    if (bytes == null) {
      return null;
    }
    try {
      long now = clock.millis();
      CacheEntry decoded = c.decode(bytes);
      if (unreadable.isOn()) {
        readAgain();
      }
      CacheEntry entry = limits.clamp(decoded, now);
      if (entry == null) {
        problems.warn("future:" + prefix, "the value under Redis key " + redisKey + " claims to be written in the"
            + " future (more than " + EntryTimeLimits.CLOCK_SKEW_MS + " ms ahead of this host's clock); treated as"
            + " a miss, the next load overwrites it", null);
        return null;
      }
      if (entry.state(now) == EntryState.MISSING) {
        return null;
      }
      metrics.redisHits.increment();
      return entry;
    } catch (Throwable failure) {
      // errors included: whatever Redis holds costs a caller at most a miss
      unreadable(redisKey, failure);
      return null;
    }
  }

  /**
   * A value that failed to decode: the first of a run at WARN, the rest at DEBUG. What is said of it is the codec's
   * reason (never the value's bytes), cut short and without line breaks, since a stored value may be hostile.
   */
  private void unreadable(String redisKey, Throwable failure) {
    unreadableCount.incrementAndGet();
    String reason = printable(describe(failure));
    unreadable.started(() -> "rule '" + rule + "': the value under Redis key " + redisKey + " cannot be read ("
            + reason + "); treated as a miss, the next load overwrites it (further unreadable values of this rule"
            + " are logged at debug level until one is read again)",
        () -> "rule '" + rule + "': the value under Redis key " + redisKey + " cannot be read (" + reason
            + "); treated as a miss");
  }

  private void readAgain() {
    long count = unreadableCount.getAndSet(0);
    unreadable.ended(() -> "rule '" + rule + "': values in Redis are read again (" + count + " unreadable "
        + (count == 1 ? "value was" : "values were") + " treated as misses)");
  }

  /** {@code text} without control characters (a line break would forge a log line), at most 300 characters. */
  static String printable(String text) {
    if (text == null) {
      return "no reason given";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), 300));
    for (int i = 0; i < text.length() && b.length() < 300; i++) {
      char ch = text.charAt(i);
      b.append(Character.isISOControl(ch) ? ' ' : ch);
    }
    return b.length() < text.length() ? b.append("...").toString() : b.toString();
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
    } catch (Throwable unwritable) {
      problems.warn("encode:" + prefix, "a value of rule " + prefix + " cannot be stored in Redis ("
          + describe(unwritable) + "); it stays in memory only", null);
      return;
    }
    String redisKey = redisKey(key);
    if (bytes.length > maxValueSize) {
      problems.warn("too-large-write:" + prefix, "a value of rule " + prefix + " is " + bytes.length + " bytes,"
          + " over max-value-size (" + maxValueSize + " bytes): not written to Redis (key " + redisKey + "); it"
          + " stays in memory only", null);
      // an older value under the key would be served elsewhere instead of this one
      writer.delete(redisKey, bytes(redisKey), 0);
      return;
    }
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
      return redis.setIfAbsent(bytes(lockKey(key)), owner, holdMs);
    } catch (RedisUnavailableException e) {
      metrics.redisErrors.increment();
      // without Redis there is no one to coordinate with: refresh locally rather than serve stale forever
      return true;
    }
  }

  /** Releases the lock of {@code key} after the writes queued so far have reached Redis. */
  void unlock(String key) {
    String lockKey = lockKey(key);
    writer.unlock(lockKey, bytes(lockKey), owner);
  }

  /** How long an evict waits for Redis to have deleted; not at all while the breaker skips Redis. */
  private long waitMs() {
    return redis.isCircuitOpen() ? 0 : Math.max(50, redis.config().timeout().toMillis() * 2);
  }

  /** The message of an exception (the codec's say what is wrong); the whole of an error, whose class matters. */
  private static String describe(Throwable failure) {
    return failure instanceof RuntimeException ? failure.getMessage() : failure.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
