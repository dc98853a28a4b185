package dev.tieredcache.runtime.redis;

/** A value in Redis larger than max-value-size: it was not transferred, and counts as a miss. */
public final class ValueTooLargeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long size;

  ValueTooLargeException(long size, int maxValueSize) {
    super(size + " bytes, over max-value-size (" + maxValueSize + " bytes)", null, false, false);
    this.size = size;
  }

  /** The size of the value in Redis, in bytes. */
  public long size() {
    return size;
  }
}
