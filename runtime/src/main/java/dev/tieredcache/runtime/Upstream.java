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
   * The type every value this method returns is an instance of (boxed for a primitive return type). A cached value
   * of another type is never handed to a caller of this method: the call runs uncached instead.
   */
  default Class<?> valueType() {
    return Object.class;
  }
}
