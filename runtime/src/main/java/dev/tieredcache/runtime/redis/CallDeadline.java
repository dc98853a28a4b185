package dev.tieredcache.runtime.redis;

/**
 * The deadline of the Redis call running on the current thread, read by the sockets of {@link
 * DeadlineSocketFactory} before each read: SPEC §3 {@code redis.timeout} bounds a whole call, not each socket read
 * (a server that trickles a reply a byte at a time would otherwise hold a caller for as long as it likes). One
 * holder per thread, made on its first call; starting and ending a call allocates nothing.
 */
final class CallDeadline {

  private static final ThreadLocal<CallDeadline> CURRENT = ThreadLocal.withInitial(CallDeadline::new);

  /** {@link System#nanoTime()} by which the current call must be done; meaningful only while {@link #active}. */
  private long deadlineNanos;
  private boolean active;
  /** The socket the current call last read from; null before its first read. */
  private java.io.Closeable reading;

  private CallDeadline() {}

  /**
   * Starts a call of at most {@code timeoutMs} on this thread; the caller ends it with {@link #end()} in a finally
   * block. A call nested in another one (same thread) keeps the outer deadline, which is the earlier one.
   *
   * @return the holder to end, or null when this call is nested in one already running
   */
  static CallDeadline start(long timeoutMs) {
    CallDeadline deadline = CURRENT.get();
    if (deadline.active) {
      return null;
    }
    deadline.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
    deadline.reading = null;
    deadline.active = true;
    return deadline;
  }

  void end() {
    active = false;
    reading = null;
  }

  /**
   * Closes the socket the current thread's call last read from, if any: after the client failed in a way that does
   * not mark its connection broken (an {@code Error} in the middle of a reply), whatever is left of the reply must
   * never be read as the answer to another command. Never throws.
   */
  static void closeSocketOfCurrentCall() {
    CallDeadline deadline = CURRENT.get();
    java.io.Closeable socket = deadline.reading;
    deadline.reading = null;
    if (socket != null) {
      try {
        socket.close();
      } catch (Exception | Error ignored) {
        // closing is all that is asked
      }
    }
  }

  /**
   * Notes that the current thread's call reads from {@code socket}, and returns the milliseconds it has left (at
   * least 1 while any time is left), 0 when its deadline has passed, or -1 when no call with a deadline runs on this
   * thread (the subscriber's reads, for one).
   */
  static int remainingMillis(java.io.Closeable socket) {
    CallDeadline deadline = CURRENT.get();
    if (!deadline.active) {
      return -1;
    }
    deadline.reading = socket;
    long left = deadline.deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
  }
}
