package dev.tieredcache.runtime.codec;

/**
 * A value could not be encoded or decoded: a class the rule does not allow, a corrupt or truncated payload, a
 * payload from another format version or another shape of a class. The Redis tier treats it as a miss, logs it
 * once and overwrites the entry with the next load; it never reaches the caller of a cached method.
 */
public final class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
