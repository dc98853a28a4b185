package dev.tieredcache.bridge;

/**
 * Handed to a caller that runs the original method as the load of a key; the caller reports the outcome to it.
 */
public abstract class Ticket {

  /**
   * Reports what the original method did. Never throws.
   *
   * @return {@code null} to return or throw as the method did, otherwise the value to return instead of the
   *     method's exception ({@link CacheBridge#NULL} for {@code null}), or instead of the future that a method
   *     returning a {@code CompletableFuture} or {@code CompletionStage} returned
   */
  public abstract Object complete(Object returned, Throwable thrown);
}
