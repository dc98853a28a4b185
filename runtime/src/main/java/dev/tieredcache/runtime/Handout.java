package dev.tieredcache.runtime;

import dev.tieredcache.runtime.codec.ValueCodec;
import java.util.concurrent.CompletableFuture;

/**
 * The one place where a cached value is handed to a caller, on every path (fresh, stale, stale-on-error, Redis,
 * waiters of a load): with copy-on-read the caller gets its own copy; a value that is not an instance of the
 * method's return type is never handed out (the call runs uncached instead); {@code null} becomes
 * {@link RuleCache#NULL_VALUE}; a caller of a method that returns a future gets an already completed future of its
 * own.
 */
final class Handout {

  private final boolean copyOnRead;
  private final String rule;
  private final ThrottledLog problems;
  private volatile ValueCodec codec;

  Handout(boolean copyOnRead, String rule, ThrottledLog problems) {
    this.copyOnRead = copyOnRead;
    this.rule = rule;
    this.problems = problems;
  }

  void useCodec(ValueCodec codec) {
    this.codec = codec;
  }

  /**
   * What a caller expecting {@code expected} gets for the cached {@code value}: the value (its own copy with
   * copy-on-read), {@link RuleCache#NULL_VALUE} for {@code null}, or {@code null} for a plain call when the value
   * is of another type or cannot be copied.
   */
  Object of(Object value, Class<?> expected) {
    if (value == null) {
      return RuleCache.NULL_VALUE;
    }
    if (expected != Object.class && !expected.isInstance(value)) {
      problems.warn("type:" + value.getClass().getName() + ">" + expected.getName(), "rule '" + rule
          + "': a cached " + value.getClass().getName() + " is not a " + expected.getName()
          + "; the call runs uncached (does the rule match methods of different return types? give each its own"
          + " rule)", null);
      return null;
    }
    if (!copyOnRead) {
      return value;
    }
    return copy(value);
  }

  /**
   * {@link #of(Object, Class)}, as a completed future of the caller's own when {@code asFuture} (the method returns
   * a {@code CompletableFuture} or {@code CompletionStage}): a new one per caller, so that one caller completing,
   * obtruding or cancelling its future changes nothing for another.
   */
  Object of(Object value, Class<?> expected, boolean asFuture) {
    Object given = of(value, expected);
    if (!asFuture || given == null) {
      return given;
    }
    return CompletableFuture.completedFuture(given == RuleCache.NULL_VALUE ? null : given);
  }

  /**
   * The instance the cache keeps of a value a load returned: a copy with copy-on-read (so the loading caller may
   * change its own object), else the value itself; {@code null} when it cannot be copied (then it is not kept).
   */
  Object kept(Object value) {
    if (!copyOnRead || value == null) {
      return value;
    }
    return copy(value);
  }

  private Object copy(Object value) {
    ValueCodec c = codec;
    if (c == null) {
      return value;
    }
    try {
      return c.copy(value);
    } catch (RuntimeException uncopyable) {
      problems.warn("copy:" + value.getClass().getName(), "rule '" + rule + "': copy-on-read cannot copy a "
          + value.getClass().getName() + " (" + uncopyable.getMessage() + "); such values are not cached", null);
      return null;
    }
  }
}
