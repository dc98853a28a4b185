package dev.tieredcache.examples.demo;

/** Thrown by every read of the {@link SlowDatabase} while it is down, as a driver throws on a refused connection. */
public final class DatabaseDownException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public DatabaseDownException(String message) {
    super(message);
  }
}
