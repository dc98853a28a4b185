package dev.tieredcache.bridge;

/**
 * What {@link CacheBridge} forwards to: the agent's side of an instrumented call. Implementations never throw,
 * except that {@link #enter} rethrows the exception of a load that the caller waited for.
 */
public interface Dispatcher {

  /** See {@link CacheBridge#enter}. */
  Object enter(int site, Class<?> origin, Object receiver, Object arguments);

  /**
   * See {@link CacheBridge#enter2} and {@link CacheBridge#enter3}: the {@code count} first pairs of object and bits
   * are the arguments.
   */
  Object enterEach(int site, Class<?> origin, Object receiver, int count, Object first, long firstBits,
      Object second, long secondBits, Object third, long thirdBits);

  /** See {@link CacheBridge#enterLong}. */
  Object enterLong(int site, Class<?> origin, Object receiver, long argument);

  /** See {@link CacheBridge#evict}. */
  void evict(int site, Class<?> origin, Object[] arguments);
}
