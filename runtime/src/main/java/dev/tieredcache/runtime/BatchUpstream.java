package dev.tieredcache.runtime;

import java.util.List;
import java.util.Map;

/**
 * The original method of a batch rule (SPEC §3 "Batch rules"), seen element by element: it is called once with the
 * ids a batch call has to load, and answers with the value of each id it found, as the single-element rule's method
 * would have returned it for that id. The values are cached under the single-element rule's keys, so a batch call
 * and the single calls of the same ids share entries.
 */
public interface BatchUpstream {

  /**
   * Calls the original batch method, bypassing the cache, with only {@code ids} (distinct, in the order they were
   * asked for).
   *
   * @param receiver the instance the method was called on, {@code null} for a static method
   * @return the value of each id it found, by the cache key of the id (see {@link RuleCache#getAll}); an id it left
   *     out is not found
   * @throws NotCallable when the call cannot be made or its result cannot be read (the agent's fault, not the
   *     method's): the batch call then runs uncached
   * @throws Throwable what the method threw
   */
  Map<String, Object> load(Object receiver, List<Object> ids) throws Throwable;

  /**
   * What the single-element method returns for an id it does not find ({@code null}, or an empty {@code Optional}):
   * what is cached for an id the batch method left out.
   */
  default Object notFound() {
    return null;
  }

  /**
   * The type every value of the single-element rule is an instance of; a cached value of another type is never
   * handed out (the batch call then runs uncached).
   */
  default Class<?> valueType() {
    return Object.class;
  }

  /**
   * The single-element rule's tags of {@code value}, the value of {@code id} (SPEC §3 "Tags"); {@code null} when the
   * rule has none. A new array per call.
   */
  default String[] tags(Object id, Object value) {
    return null;
  }

  /** Thrown by {@link #load} when the agent, not the method, failed: the call runs as if uncached. */
  final class NotCallable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotCallable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
