package dev.tieredcache.runtime.testredis;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waits for a condition on real processes, which only polling can observe. */
final class Polling {

  private static final long INTERVAL_MILLIS = 25;

  private Polling() {}

  /**
   * Calls {@code condition} until it returns true; an exception it throws counts as false.
   *
   * @throws IllegalStateException after {@code timeout}, naming {@code what}, the condition's last exception and
   *     {@code diagnostics} (called once, then)
   */
  static void await(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        IllegalStateException failure = new IllegalStateException("timed out after " + timeout.toMillis()
            + " ms waiting for " + what + (last == null ? "" : "; last error: " + last) + "\n" + diagnostics.get());
        if (last != null) {
          failure.initCause(last);
        }
        throw failure;
      }
      sleep(INTERVAL_MILLIS);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a redis process", e);
    }
  }
}
