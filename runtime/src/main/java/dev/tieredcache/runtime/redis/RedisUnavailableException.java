package dev.tieredcache.runtime.redis;

/** A Redis call that failed, timed out, or was skipped because the circuit breaker is open. */
public final class RedisUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  RedisUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
