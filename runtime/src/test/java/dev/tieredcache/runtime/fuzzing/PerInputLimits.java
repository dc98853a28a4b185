package dev.tieredcache.runtime.fuzzing;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The bounds every fuzz input must keep: at most {@link #MAX_CPU} of this thread's CPU time and at most
 * {@link #MAX_ALLOCATED_BYTES} allocated by it. CPU time rather than wall time, so that a loaded machine (or a
 * garbage collection on another thread) does not count; an input over a bound is run once more and fails only
 * when it is over again, so that one-off costs (loading and initialising a class the first time an input names
 * it) are not findings.
 */
public final class PerInputLimits {

  public static final Duration MAX_CPU = Duration.ofMillis(100);
  public static final long MAX_ALLOCATED_BYTES = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PerInputLimits() {}

  /** Runs {@code input} (twice when the first run is over a bound) and fails if it stays over one. */
  public static void check(String what, Runnable input) {
    if (overBound(input) != null) {
      String over = overBound(input);
      if (over != null) {
        throw new AssertionError(what + " " + over);
      }
    }
  }

  private static String overBound(Runnable input) {
    long thread = Thread.currentThread().getId();
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
    input.run();
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    long allocated = THREADS.getThreadAllocatedBytes(thread) - allocatedBefore;
    if (cpu > MAX_CPU.toNanos()) {
      return "took " + cpu / 1_000_000 + " ms of CPU, more than " + MAX_CPU.toMillis();
    }
    if (allocated > MAX_ALLOCATED_BYTES) {
      return "allocated " + (allocated >> 20) + " MB, more than " + (MAX_ALLOCATED_BYTES >> 20);
    }
    return null;
  }
}
