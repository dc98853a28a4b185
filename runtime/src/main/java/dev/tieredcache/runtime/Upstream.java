package dev.tieredcache.runtime;

/**
 * The original method of a rule: what a background refresh calls again, with the receiver and arguments of the
 * call that found the value stale.
 */
@FunctionalInterface
public interface Upstream {

  /**
   * Calls the original method, bypassing the cache for this one call.
   *
   * @param receiver the instance the method was called on, {@code null} for a static method
   * @param arguments what the call site passed: the single argument of a one-parameter method, otherwise an
   *     {@code Object[]}
   */
  Object call(Object receiver, Object arguments) throws Throwable;

  /**
   * The type every value this method returns is an instance of (boxed for a primitive return type); for a method
   * that {@linkplain #returnsFuture returns a future}, the type its future completes with. A cached value of another
   * type is never handed to a caller of this method: the call runs uncached instead.
   */
  default Class<?> valueType() {
    return Object.class;
  }

  /**
   * True when the method's declared return type is {@code CompletableFuture} or {@code CompletionStage}: the cache
   * then keeps what the future completes with, never the future, and every caller gets a future of its own.
   */
  default boolean returnsFuture() {
    return false;
  }

  /**
   * The tags of a value this method returned for {@code arguments} (SPEC §3 "Tags"), rendered when the value is
   * written; {@code null} when the rule has none. A new array per call: the cache keeps it.
   *
   * @throws RuntimeException when the tags cannot be rendered: the value is then handed to the caller but not kept
   */
  default String[] tags(Object arguments, Object value) {
    return null;
  }
}
