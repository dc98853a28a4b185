package dev.tieredcache.runtime.backplane;

/** Bytes on the backplane channel that are not a message this instance understands. */
public final class MalformedMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedMessageException(String message) {
    super(message, null, false, false);
  }
}
