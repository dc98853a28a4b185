package dev.tieredcache.agent.rules;

/**
 * A cache key could not be made from a call's arguments: a property named in the key template is missing, or a
 * value has no text form that is the same in every JVM. The call is then made as if it were not cached.
 */
public final class KeyRenderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the value's class and what is missing. */
  public KeyRenderException(String message) {
    super(message);
  }

  /** Creates the exception for a property getter that threw. */
  public KeyRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
