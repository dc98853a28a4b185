package dev.tieredcache.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counter of fresh hits: exact, and cheaper on the hit path than a {@link LongAdder}, whose increment is an
 * atomic compare-and-set (a locked instruction and a full fence on x86, about a third of a memory hit).
 *
 * <p>A thread adds to a stripe it owns with an ordinary store. The stripe is picked from the thread's id; the first
 * thread to find it free claims it with one compare-and-set and is its only writer from then on. A thread whose
 * stripe another live thread owns adds to a {@code LongAdder} instead. When a reader finds the owner of a stripe
 * dead, it moves the stripe's count into its total and frees the stripe; a thread's termination happens-before
 * another thread sees it dead, so no increment is lost. Stripes lie 128 bytes apart, so owners on different cores
 * do not share a cache line.
 *
 * <p>An owner's increment is a plain load and store of its slot: no fence, and no {@code VarHandle} access mode,
 * whose extra code made the hit path's main method too large for the JIT to inline into the instrumented method
 * (the hit then measured slower than with a {@code LongAdder}). No increment is lost: each slot has one writer, and
 * a 64-bit store is not torn on the 64-bit JVMs the agent runs on. {@link #sum()} reads with volatile loads; the
 * Java memory model alone does not promise it sees an increment made in the same instant on another core without
 * synchronization (it sees it a moment later), which is as exact as a counter read while it counts can be. Readers
 * (JMX, {@code stats}, a scrape) take a lock among themselves, never the writers.
 */
public final class HitCounter {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  /** Longs per stripe: 16 × 8 bytes, two cache lines. Slot 0 holds the count, slot 1 the owner's thread id. */
  private static final int SHIFT = 4;
  private static final int MAX_STRIPES = 64;
  /** {@code Thread.threadId()} (final, Java 19 and later) or {@code Thread.getId()}. */
  private static final MethodHandle THREAD_ID = threadId();

  private final long[] stripes;
  private final int mask;
  /** The owners, for telling whether one has ended; written by a claiming thread after its claim. */
  private final WeakReference<?>[] owners;
  private final LongAdder unowned = new LongAdder();
  /** Counts moved out of stripes whose owner ended; guarded by {@code this}. */
  private long retired;

  public HitCounter() {
    this(Runtime.getRuntime().availableProcessors() * 4);
  }

  HitCounter(int wanted) {
    int n = Integer.highestOneBit(Math.max(1, Math.min(MAX_STRIPES, wanted)) * 2 - 1);
    stripes = new long[n << SHIFT];
    mask = n - 1;
    owners = new WeakReference<?>[n];
  }

  public void increment() {
    long id = idOf(Thread.currentThread());
    long[] s = stripes;
    int at = ((int) id & mask) << SHIFT;
    if (s[at + 1] == id) {
      // only this thread writes this slot while it lives
      s[at]++;
      return;
    }
    incrementUnowned(Thread.currentThread(), id, at);
  }

  private void incrementUnowned(Thread current, long id, int at) {
    if ((long) LONGS.getVolatile(stripes, at + 1) == 0 && LONGS.compareAndSet(stripes, at + 1, 0L, id)) {
      owners[at >>> SHIFT] = new WeakReference<>(current);
      LONGS.setOpaque(stripes, at, (long) LONGS.getOpaque(stripes, at) + 1);
      return;
    }
    unowned.increment();
  }

  /** The count of every increment that completed before this call. */
  public synchronized long sum() {
    long total = retired + unowned.sum();
    for (int i = 0; i < owners.length; i++) {
      int at = i << SHIFT;
      long count = (long) LONGS.getVolatile(stripes, at);
      if ((long) LONGS.getVolatile(stripes, at + 1) != 0 && ended(owners[i])) {
        // the owner is gone: its last store is visible (its end happens-before isAlive() said false); free the
        // stripe for another thread, which starts it from zero
        count = (long) LONGS.getVolatile(stripes, at);
        retired += count;
        owners[i] = null;
        LONGS.setVolatile(stripes, at, 0L);
        LONGS.setVolatile(stripes, at + 1, 0L);
      }
      total += count;
    }
    return total;
  }

  /** Whether the owner recorded has ended; {@code false} while a claimer has not recorded itself yet. */
  private static boolean ended(WeakReference<?> owner) {
    if (owner == null) {
      return false;
    }
    Object thread = owner.get();
    return thread == null || !((Thread) thread).isAlive();
  }

  private static long idOf(Thread thread) {
    try {
      return (long) THREAD_ID.invokeExact(thread);
    } catch (Throwable impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static MethodHandle threadId() {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodType type = MethodType.methodType(long.class);
    try {
      return lookup.findVirtual(Thread.class, "threadId", type);
    } catch (NoSuchMethodException | IllegalAccessException beforeJava19) {
      try {
        return lookup.findVirtual(Thread.class, "getId", type);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
